package io.pgsnapman.configcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnapman.deadletters.DeadLetterHeaders;
import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.deadletters.Stage;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.registry.serde.AvroSerdeConfig;
import io.pgsnapman.registry.serde.AvroSerializer;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.TopicRecords;
import io.pgsnapman.testsupport.WithKafka;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cache against a real broker and registry. */
@WithKafka
@WithSchemaRegistry
class CompactedTopicCacheIT {

    private final KafkaBroker broker;
    private final SchemaRegistryServer registry;
    private final DeadLetters deadLetters;

    CompactedTopicCacheIT(KafkaBroker broker, SchemaRegistryServer registry) {
        this.broker = broker;
        this.registry = registry;
        this.deadLetters = DeadLetters.create(Map.of("bootstrap.servers", broker.bootstrapServers()), "cache-test");
    }

    private Map<String, Object> clientProperties() {
        return Map.of("bootstrap.servers", broker.bootstrapServers(),
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url(),
                AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
    }

    private KafkaProducer<String, ServerConfig> producer() {
        AvroSerializer<ServerConfig> serializer = new AvroSerializer<>();
        serializer.configure(clientProperties(), false);
        return new KafkaProducer<>(clientProperties(), new StringSerializer(), serializer);
    }

    private CompactedTopicCache<ServerConfig> cache(String topic) {
        AvroDeserializer<ServerConfig> deserializer = new AvroDeserializer<>();
        deserializer.configure(clientProperties(), false);
        return new CompactedTopicCache<>(topic, clientProperties(), deserializer, deadLetters);
    }

    @AfterEach
    void closeDeadLetters() {
        deadLetters.close();
    }

    private static ServerConfig server(String id, String host) {
        return ServerConfig.newBuilder(SampleEvents.serverConfig()).setServerId(id).setHost(host).build();
    }

    @Test
    void rebuildsTheLatestValuesThenFollowsLiveUpdatesAndTombstones() throws Exception {
        // Given a topic holding two versions of s1, s2 and a tombstone for s3, plus a record that is not Avro and
        // one whose schema id the registry does not know
        String topic = "test.cache.servers";
        broker.createTopics(topic, topic + "-dlt");
        try (KafkaProducer<String, ServerConfig> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "s1", server("s1", "old-host"))).get();
            producer.send(new ProducerRecord<>(topic, "s2", server("s2", "h2"))).get();
            producer.send(new ProducerRecord<>(topic, "s3", server("s3", "h3"))).get();
            producer.send(new ProducerRecord<>(topic, "s1", server("s1", "new-host"))).get();
            producer.send(new ProducerRecord<>(topic, "s3", null)).get();
        }
        RecordMetadata garbageAt;
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            garbageAt = raw.send(new ProducerRecord<>(topic, "s4", new byte[] {42, 42})).get();
            raw.send(new ProducerRecord<>(topic, "s6", new byte[] {0, 0, 0, 0x7f, 0x3a, 2, 4})).get();
        }
        List<String> changes = new CopyOnWriteArrayList<>();

        // When a cache starts from nothing
        try (CompactedTopicCache<ServerConfig> cache = cache(topic)) {
            cache.addListener((key, before, after) -> changes.add(key + (after == null ? " removed" : " set")));
            cache.start();

            // Then once loaded it holds the latest values, no deleted key, and skipped the two bad records
            assertThat(cache.awaitLoaded(Duration.ofSeconds(30))).isTrue();
            assertThat(cache.keys()).containsExactlyInAnyOrder("s1", "s2");
            assertThat(cache.get("s1")).map(ServerConfig::getHost).contains("new-host");
            assertThat(cache.skippedRecords()).isEqualTo(2);
            assertThat(changes).contains("s3 removed");
            // which are in the dead-letter topic, byte for byte, with the stage and where they came from
            List<ConsumerRecord<String, byte[]>> letters = new ArrayList<>(TopicRecords.readUntil(broker, topic + "-dlt",
                    new ByteArrayDeserializer(), l -> l.size() >= 2, Duration.ofSeconds(30)));
            letters.sort(Comparator.comparing(ConsumerRecord::key));
            assertThat(letters).extracting(ConsumerRecord::key).containsExactly("s4", "s6");
            assertThat(letters.get(0).value()).containsExactly(42, 42);
            assertThat(letters).allSatisfy(l -> {
                assertThat(DeadLetterHeaders.stage(l.headers())).contains(Stage.DECODE);
                assertThat(DeadLetterHeaders.text(l.headers(), DeadLetterHeaders.ORIGINAL_TOPIC)).contains(topic);
                assertThat(DeadLetterHeaders.text(l.headers(), DeadLetterHeaders.CONSUMER)).contains("cache-test");
            });
            assertThat(DeadLetterHeaders.text(letters.get(0).headers(), DeadLetterHeaders.ORIGINAL_PARTITION))
                    .contains(Integer.toString(garbageAt.partition()));
            assertThat(DeadLetterHeaders.text(letters.get(0).headers(), DeadLetterHeaders.ORIGINAL_OFFSET))
                    .contains(Long.toString(garbageAt.offset()));
            assertThat(DeadLetterHeaders.text(letters.get(1).headers(), DeadLetterHeaders.MESSAGE).orElseThrow())
                    .contains("schema id 32570");
            assertThat(deadLetters.counts()).containsEntry(topic + " DECODE", 2L);

            // And when the configuration changes live, the cache follows
            try (KafkaProducer<String, ServerConfig> producer = producer()) {
                producer.send(new ProducerRecord<>(topic, "s5", server("s5", "h5"))).get();
                producer.send(new ProducerRecord<>(topic, "s2", null)).get();
            }
            await().atMost(Duration.ofSeconds(15)).untilAsserted(
                    () -> assertThat(cache.keys()).containsExactlyInAnyOrder("s1", "s5"));
        }
    }

    @Test
    void anEmptyTopicIsLoadedAtOnce() throws Exception {
        String topic = "test.cache.empty";
        broker.createTopics(topic);
        try (CompactedTopicCache<ServerConfig> cache = cache(topic)) {
            cache.start();

            assertThat(cache.awaitLoaded(Duration.ofSeconds(30))).isTrue();
            assertThat(cache.values()).isEmpty();
        }
    }
}
