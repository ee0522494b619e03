package io.pgsnapman.service.config.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.registry.serde.AvroSerdeConfig;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.config.ConfigServiceApplication;
import io.pgsnapman.testsupport.ApiClient;
import io.pgsnapman.testsupport.FreePorts;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import io.pgsnapman.testsupport.TcpForwarder;
import io.pgsnapman.testsupport.TopicRecords;
import io.pgsnapman.testsupport.WithKafka;
import io.pgsnapman.testsupport.WithPostgres;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox relay against a real broker and database: Kafka down while changes are made, a second replica
 * relaying at the same time, and a round that dies after Kafka took its records but before it deleted them.
 */
@WithKafka
@WithSchemaRegistry
@WithPostgres(servers = 1)
class OutboxRelayIT {

    private static final String ADMIN = "outbox-admin-token-0123456789";

    @Test
    void changesMadeWhileKafkaIsDownWaitInTheOutboxAndGoOutInOrderWhenItIsBack(KafkaBroker broker,
            SchemaRegistryServer registry, PostgresServers servers, @TempDir Path credentials) throws Exception {
        // Given config-service started while nothing listens on its Kafka bootstrap port
        int kafkaPort = FreePorts.find();
        try (ServiceApps.Running app = configService(servers.get(0), "config_kafka_down", "127.0.0.1:" + kafkaPort,
                registry, credentials, Map.of("spring.kafka.admin.properties.default.api.timeout.ms", "2000",
                        "spring.kafka.admin.properties.request.timeout.ms", "1000"))) {
            OutboxRelay relay = app.bean(OutboxRelay.class);
            ApiClient api = new ApiClient(app.baseUrl(), ADMIN);

            // When a server is created and changed four times, and another one created
            ApiClient.Answer created = api.post("/api/v1/servers", server("alpha", "host-0"));
            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            String alpha = created.body().get("id").asString();
            for (int i = 1; i <= 4; i++) {
                assertThat(api.put("/api/v1/servers/" + alpha, server("alpha", "host-" + i)).status()).isEqualTo(200);
            }
            String beta = api.post("/api/v1/servers", server("beta", "host-b")).body().get("id").asString();

            // Then the API took every change, and a relay round fails and keeps all of them
            assertThatThrownBy(() -> relay.relay(100)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + kafkaPort);
            assertThat(app.bean(JdbcClient.class).sql("SELECT record_key FROM outbox ORDER BY id").query(String.class).list())
                    .containsExactly(alpha, alpha, alpha, alpha, alpha, beta);

            // When Kafka answers on that port
            try (TcpForwarder kafkaIsBack = TcpForwarder.start(kafkaPort, broker.bootstrapServers())) {
                // Then the relay's own rounds publish them all, those of one key in the order they were made
                await().atMost(Duration.ofSeconds(90)).until(() -> relay.waiting() == 0);
                List<ConsumerRecord<String, ServerConfig>> records = TopicRecords.readUntil(broker,
                        Topics.CONFIG_SERVERS.name(), deserializer(registry), withKeys(6, alpha, beta), Duration.ofSeconds(30));
                assertThat(records).filteredOn(r -> r.key().equals(alpha)).extracting(r -> r.value().getHost())
                        .containsExactly("host-0", "host-1", "host-2", "host-3", "host-4");
                assertThat(records).filteredOn(r -> r.key().equals(beta)).extracting(r -> r.value().getHost())
                        .containsExactly("host-b");
            }
        }
    }

    @Test
    void whileAnotherReplicaRelaysThisOneTakesNoRowAndPublishesThemWhenTheLockIsFree(KafkaBroker broker,
            SchemaRegistryServer registry, PostgresServers servers, @TempDir Path credentials) throws Exception {
        // Given config-service relaying by hand only, with two changes in its outbox
        PostgresServer pg = servers.get(0);
        try (ServiceApps.Running app = configService(pg, "config_two_relays", broker.bootstrapServers(), registry,
                credentials, Map.of("pgsnapman.config-service.outbox.poll-interval", "1h"))) {
            OutboxRelay relay = app.bean(OutboxRelay.class);
            relay.relay(100); // creates the topics; the outbox is empty
            queue(app, "two-relays-1", "host-1");
            queue(app, "two-relays-2", "host-2");

            // When another replica is in its relay round (it holds the relay's lock) and this one relays
            int publishedMeanwhile;
            try (Connection other = pg.connect("config_two_relays"); Statement st = other.createStatement()) {
                other.setAutoCommit(false);
                st.execute("SELECT pg_advisory_xact_lock(" + OutboxRelay.ADVISORY_LOCK + ")");
                publishedMeanwhile = relay.relay(100);
                other.commit();
            }

            // Then this one took nothing and both changes wait; once the other round ended, they go out once each
            assertThat(publishedMeanwhile).isZero();
            assertThat(relay.relay(100)).isEqualTo(2);
            assertThat(relay.waiting()).isZero();
            List<ConsumerRecord<String, ServerConfig>> records = TopicRecords.readUntil(broker, Topics.CONFIG_SERVERS.name(),
                    deserializer(registry), withKeys(2, "two-relays-1", "two-relays-2"), Duration.ofSeconds(30));
            assertThat(records).extracting(ConsumerRecord::key).filteredOn(k -> k.startsWith("two-relays-"))
                    .containsExactlyInAnyOrder("two-relays-1", "two-relays-2");
        }
    }

    @Test
    void aRoundThatDiesAfterKafkaTookItsRecordsSendsThemAgainAndReadersEndWithTheSameConfiguration(KafkaBroker broker,
            SchemaRegistryServer registry, PostgresServers servers, @TempDir Path credentials) throws Exception {
        // Given three changes of two servers in the outbox
        try (ServiceApps.Running app = configService(servers.get(0), "config_crash", broker.bootstrapServers(), registry,
                credentials, Map.of("pgsnapman.config-service.outbox.poll-interval", "1h"))) {
            OutboxRelay relay = app.bean(OutboxRelay.class);
            queue(app, "crash-1", "old-host");
            queue(app, "crash-1", "new-host");
            queue(app, "crash-2", "other-host");

            // When a round sends them all and dies before its delete commits (its transaction rolls back)
            Integer sentBeforeCrash = app.bean(TransactionTemplate.class).execute(status -> {
                int sent = relay.relay(100);
                status.setRollbackOnly();
                return sent;
            });
            // Then the rows are still there and the next round sends them again
            assertThat(sentBeforeCrash).isEqualTo(3);
            assertThat(relay.waiting()).isEqualTo(3);
            assertThat(relay.relay(100)).isEqualTo(3);
            assertThat(relay.waiting()).isZero();
            List<ConsumerRecord<String, ServerConfig>> records = TopicRecords.readUntil(broker, Topics.CONFIG_SERVERS.name(),
                    deserializer(registry), withKeys(6, "crash-1", "crash-2"), Duration.ofSeconds(30));
            assertThat(records).filteredOn(r -> r.key().equals("crash-1")).extracting(r -> r.value().getHost())
                    .containsExactly("old-host", "new-host", "old-host", "new-host");
            assertThat(records).filteredOn(r -> r.key().equals("crash-2")).hasSize(2);

            // And a reader of the topic holds exactly the configuration it would hold without the duplicates
            Map<String, Object> consumer = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                    AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url()));
            try (DeadLetters deadLetters = DeadLetters.create(consumer, "outbox-relay-it");
                    CompactedTopicCache<ServerConfig> cache = CompactedTopicCache.start(Topics.CONFIG_SERVERS, consumer, deadLetters)) {
                assertThat(cache.awaitLoaded(Duration.ofSeconds(30))).isTrue();
                assertThat(cache.keys()).filteredOn(k -> k.startsWith("crash-")).containsExactlyInAnyOrder("crash-1", "crash-2");
                assertThat(cache.get("crash-1")).map(ServerConfig::getHost).contains("new-host");
                assertThat(cache.get("crash-2")).map(ServerConfig::getHost).contains("other-host");
                assertThat(cache.skippedRecords()).isZero();
            }
        }
    }

    /** Appends a server change to the outbox as config-service does, without the nudge of a commit. */
    private static void queue(ServiceApps.Running app, String serverId, String host) {
        ServerConfig value = ServerConfig.newBuilder(SampleEvents.serverConfig()).setServerId(serverId).setHost(host).build();
        app.bean(JdbcClient.class)
                .sql("INSERT INTO outbox (topic, record_key, value_class, payload) VALUES (:topic, :key, :type, :payload)")
                .param("topic", Topics.CONFIG_SERVERS.name())
                .param("key", serverId)
                .param("type", ServerConfig.class.getName())
                .param("payload", OutboxWriter.encode(value))
                .update();
    }

    /** Until {@code count} records of these keys were read (the broker is shared by this class's tests). */
    private static Predicate<List<ConsumerRecord<String, ServerConfig>>> withKeys(int count, String... keys) {
        Set<String> wanted = Set.of(keys);
        return list -> list.stream().filter(r -> wanted.contains(r.key())).count() >= count;
    }

    private static Map<String, Object> server(String name, String host) {
        return Map.of("name", name, "host", host, "port", 5432, "credentialRef", "pg1", "sslMode", "DISABLE");
    }

    private static AvroDeserializer<ServerConfig> deserializer(SchemaRegistryServer registry) {
        AvroDeserializer<ServerConfig> d = new AvroDeserializer<>();
        d.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url(), AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        return d;
    }

    private static ServiceApps.Running configService(PostgresServer pg, String database, String bootstrap,
            SchemaRegistryServer registry, Path credentials, Map<String, Object> extra) throws Exception {
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
        Map<String, Object> props = new HashMap<>(Map.ofEntries(
                Map.entry("spring.datasource.url", pg.jdbcUrl(database)),
                Map.entry("spring.datasource.username", pg.superuser()),
                Map.entry("spring.datasource.password", pg.password()),
                Map.entry("spring.kafka.bootstrap-servers", bootstrap),
                Map.entry("spring.kafka.properties.schema.registry.url", registry.url()),
                Map.entry("pgsnapman.config-service.auth.tokens[0].name", "alice"),
                Map.entry("pgsnapman.config-service.auth.tokens[0].role", "admin"),
                Map.entry("pgsnapman.config-service.auth.tokens[0].token", ADMIN),
                Map.entry("pgsnapman.config-service.auto-dump-jobs.enabled", "false"),
                Map.entry("pgsnapman.config-service.credentials-dir", credentials.toString())));
        props.putAll(extra);
        return ServiceApps.start(ConfigServiceApplication.class, props);
    }
}
