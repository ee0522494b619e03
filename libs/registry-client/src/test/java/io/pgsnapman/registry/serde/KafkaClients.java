package io.pgsnapman.registry.serde;

import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.TopicRecords;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for the serde tests: producer settings and a consumer that reads one record. */
final class KafkaClients {

    private KafkaClients() {}

    static Map<String, Object> producerProperties(KafkaBroker broker, SchemaRegistryServer registry) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
        return props;
    }

    /**
     * A configured serializer. A producer given serializer instances does not configure them: that only
     * happens for serializers it creates from class names.
     */
    static <V> AvroSerializer<V> avroSerializer(Map<String, Object> producerProperties) {
        AvroSerializer<V> serializer = new AvroSerializer<>();
        serializer.configure(producerProperties, false);
        return serializer;
    }

    /** A producer of Avro values with string keys. */
    static <V> KafkaProducer<String, V> producer(Map<String, Object> producerProperties) {
        return new KafkaProducer<>(producerProperties, new StringSerializer(), avroSerializer(producerProperties));
    }

    static <V> AvroDeserializer<V> avroDeserializer(SchemaRegistryServer registry, boolean specific) {
        AvroDeserializer<V> deserializer = new AvroDeserializer<>();
        deserializer.configure(Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url(),
                AvroSerdeConfig.SPECIFIC_AVRO_READER, specific), false);
        return deserializer;
    }

    /** Reads the first record of the topic with a fresh consumer group, from the beginning. */
    static <V> ConsumerRecord<String, V> consumeOne(KafkaBroker broker, String topic, Deserializer<V> values) {
        return consumeLast(broker, topic, 1, values);
    }

    /** Reads the topic from the beginning until {@code count} records arrived; returns the last of them. */
    static <V> ConsumerRecord<String, V> consumeLast(
            KafkaBroker broker, String topic, int count, Deserializer<V> values) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, TopicRecords.QUICK_FETCH_MS);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plusSeconds(30);
            int seen = 0;
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (++seen == count) {
                        return record;
                    }
                }
            }
            throw new AssertionError(seen + " of " + count + " record(s) on " + topic + " within 30 s");
        }
    }
}
