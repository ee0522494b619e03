package io.pgsnapman.configcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.registry.serde.AvroSerdeConfig;
import io.pgsnapman.registry.serde.AvroSerializer;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.WithKafka;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The cache against a real broker and registry. */
@WithKafka
@WithSchemaRegistry
class CompactedTopicCacheIT {

    private final KafkaBroker broker;
    private final SchemaRegistryServer registry;

    CompactedTopicCacheIT(KafkaBroker broker, SchemaRegistryServer registry) {
        this.broker = broker;
        this.registry = registry;
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
        return new CompactedTopicCache<>(topic, clientProperties(), deserializer);
    }

    private static ServerConfig server(String id, String host) {
        return ServerConfig.newBuilder(SampleEvents.serverConfig()).setServerId(id).setHost(host).build();
    }

    @Test
    void rebuildsTheLatestValuesThenFollowsLiveUpdatesAndTombstones() throws Exception {
        // Given a topic holding two versions of s1, s2 and a tombstone for s3, plus one undecodable record
        String topic = "test.cache.servers";
        broker.createTopics(topic);
        try (KafkaProducer<String, ServerConfig> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, "s1", server("s1", "old-host"))).get();
            producer.send(new ProducerRecord<>(topic, "s2", server("s2", "h2"))).get();
            producer.send(new ProducerRecord<>(topic, "s3", server("s3", "h3"))).get();
            producer.send(new ProducerRecord<>(topic, "s1", server("s1", "new-host"))).get();
            producer.send(new ProducerRecord<>(topic, "s3", null)).get();
        }
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topic, "s4", new byte[] {42, 42})).get();
        }
        List<String> changes = new CopyOnWriteArrayList<>();

        // When a cache starts from nothing
        try (CompactedTopicCache<ServerConfig> cache = cache(topic)) {
            cache.addListener((key, before, after) -> changes.add(key + (after == null ? " removed" : " set")));
            cache.start();

            // Then once loaded it holds the latest values, no deleted key, and skipped the bad record
            assertThat(cache.awaitLoaded(Duration.ofSeconds(30))).isTrue();
            assertThat(cache.keys()).containsExactlyInAnyOrder("s1", "s2");
            assertThat(cache.get("s1")).map(ServerConfig::getHost).contains("new-host");
            assertThat(cache.skippedRecords()).isEqualTo(1);
            assertThat(changes).contains("s3 removed");

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
