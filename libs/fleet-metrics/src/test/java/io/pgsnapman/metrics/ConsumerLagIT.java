package io.pgsnapman.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.WithKafka;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Consumer lag read from a real broker: what a group has not committed yet, per topic, as Prometheus shows it. */
@WithKafka
class ConsumerLagIT {

    @Test
    void theLagIsTheRecordsAGroupHasNotCommittedAndAGroupThatNeverCommittedLagsByAll(KafkaBroker broker) throws Exception {
        // Given 5 records on partition 0 of a topic, of which group "reader" committed the first 2
        String topic = "lag-test";
        broker.createTopics(topic);
        Map<String, Object> common = Map.of("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(common, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i)).get();
            }
        }
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader"), new StringDeserializer(), new StringDeserializer())) {
            reader.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(2)));
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        // When the lag of "reader" and of "newcomer" (which never committed) is read
        try (ConsumerLag lag = new ConsumerLag(common, Map.of("reader", List.of(topic), "newcomer", List.of(topic)),
                new FleetMeters(registry))) {
            Map<String, Map<String, Long>> read = lag.refresh();

            // Then it is 3 and 5, and so says the gauge
            assertThat(read).isEqualTo(Map.of("reader", Map.of(topic, 3L), "newcomer", Map.of(topic, 5L)));
            assertThat(registry.scrape()).contains("pgsnapman_consumer_lag{group=\"reader\",topic=\"lag-test\"} 3.0")
                    .contains("pgsnapman_consumer_lag{group=\"newcomer\",topic=\"lag-test\"} 5.0");
        }
    }
}
