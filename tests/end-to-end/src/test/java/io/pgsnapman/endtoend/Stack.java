package io.pgsnapman.endtoend;

import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.config.SslMode;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.registry.serde.AvroSerdeConfig;
import io.pgsnapman.registry.serde.AvroSerializer;
import io.pgsnapman.service.catalog.CatalogServiceApplication;
import io.pgsnapman.service.config.ConfigServiceApplication;
import io.pgsnapman.service.dumpworker.DumpWorkerApplication;
import io.pgsnapman.service.restoreworker.RestoreWorkerApplication;
import io.pgsnapman.service.scheduler.SchedulerServiceApplication;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import io.pgsnapman.testsupport.TopicRecords;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The PgSnapMan services wired to real parts for a test: config-service and catalog-service keep their
 * databases on {@code home}, the workers share one repository directory and one credentials directory.
 */
final class Stack {

    static final String ADMIN_TOKEN = "e2e-admin-token-0123456789";
    static final String OPERATOR_TOKEN = "e2e-operator-token-0123456789";

    private final KafkaBroker broker;
    private final SchemaRegistryServer registry;
    private final PostgresServer home;
    private final Path repository;
    private final Path credentials;
    private final Clock clock;

    Stack(KafkaBroker broker, SchemaRegistryServer registry, PostgresServer home, Path workDir, Clock clock) throws Exception {
        this.broker = broker;
        this.registry = registry;
        this.home = home;
        this.repository = Files.createDirectories(workDir.resolve("repository"));
        this.credentials = Files.createDirectories(workDir.resolve("credentials"));
        this.clock = clock;
    }

    /** Makes a server's password resolvable by the workers under the reference. */
    void credential(String ref, String password) throws Exception {
        Files.writeString(credentials.resolve(ref), password);
    }

    Path repository() {
        return repository;
    }

    void createDatabase(String name) throws SQLException {
        try (Connection c = home.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
        }
    }

    /**
     * Services without a database or an API share this JVM's classpath with those that have them; keep
     * Spring Boot from configuring what their own deployment would not even contain.
     */
    private static final String NOT_OURS = String.join(",",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration");

    private Map<String, Object> worker() {
        Map<String, Object> props = kafka();
        props.put("spring.autoconfigure.exclude", NOT_OURS);
        return props;
    }

    private Map<String, Object> kafka() {
        Map<String, Object> props = new HashMap<>();
        props.put("spring.kafka.bootstrap-servers", broker.bootstrapServers());
        props.put("spring.kafka.properties.schema.registry.url", registry.url());
        return props;
    }

    private Map<String, Object> database(String name) {
        Map<String, Object> props = kafka();
        props.put("spring.datasource.url", home.jdbcUrl(name));
        props.put("spring.datasource.username", home.superuser());
        props.put("spring.datasource.password", home.password());
        return props;
    }

    ServiceApps.Running configService() {
        Map<String, Object> props = database("pgsnapman_config");
        props.put("pgsnapman.config-service.auth.tokens[0].name", "admin");
        props.put("pgsnapman.config-service.auth.tokens[0].role", "admin");
        props.put("pgsnapman.config-service.auth.tokens[0].token", ADMIN_TOKEN);
        props.put("pgsnapman.config-service.auto-dump-jobs.enabled", "false");
        props.put("pgsnapman.config-service.credentials-dir", credentials.toString());
        return ServiceApps.start(ConfigServiceApplication.class, props);
    }

    ServiceApps.Running catalogService() {
        return catalogService(Map.of());
    }

    /** A catalog-service with some of its settings changed, on this stack's clock when it has one. */
    ServiceApps.Running catalogService(Map<String, Object> settings) {
        Map<String, Object> props = database("pgsnapman_catalog");
        props.putAll(settings);
        props.put("pgsnapman.catalog.repository", repository.toString());
        props.put("pgsnapman.catalog.auth.tokens[0].name", "admin");
        props.put("pgsnapman.catalog.auth.tokens[0].role", "admin");
        props.put("pgsnapman.catalog.auth.tokens[0].token", ADMIN_TOKEN);
        return clock == null ? ServiceApps.start(CatalogServiceApplication.class, props)
                : ServiceApps.start(CatalogServiceApplication.class, props, Map.of(Clock.class, clock));
    }

    ServiceApps.Running scheduler() {
        Map<String, Object> props = worker();
        props.put("pgsnapman.scheduler.tick-interval", "200ms");
        return ServiceApps.start(SchedulerServiceApplication.class, props, Map.of(Clock.class, clock));
    }

    ServiceApps.Running dumpWorker(String instance) {
        return dumpWorker(instance, Map.of());
    }

    /** A dump-worker with some of its settings changed (e.g. for a benchmark). */
    ServiceApps.Running dumpWorker(String instance, Map<String, Object> settings) {
        Map<String, Object> props = worker();
        props.putAll(settings);
        props.put("pgsnapman.dump-worker.instance-id", instance);
        props.put("pgsnapman.dump-worker.repository", repository.toString());
        props.put("pgsnapman.dump-worker.credentials-dir", credentials.toString());
        return ServiceApps.start(DumpWorkerApplication.class, props);
    }

    ServiceApps.Running restoreWorker(String instance) {
        return restoreWorker(instance, Map.of());
    }

    /** A restore-worker with some of its settings changed. */
    ServiceApps.Running restoreWorker(String instance, Map<String, Object> settings) {
        Map<String, Object> props = worker();
        props.putAll(settings);
        props.put("pgsnapman.restore-worker.instance-id", instance);
        props.put("pgsnapman.restore-worker.repository", repository.toString());
        props.put("pgsnapman.restore-worker.credentials-dir", credentials.toString());
        props.putIfAbsent("pgsnapman.restore-worker.max-concurrent-restores", "4");
        return ServiceApps.start(RestoreWorkerApplication.class, props);
    }

    /** Publishes an event as any producer would, with our serializer. */
    void publish(String topic, String key, SpecificRecord value) throws Exception {
        Map<String, Object> props = Map.of("bootstrap.servers", broker.bootstrapServers(),
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(props, false);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props, new StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** The values of {@code topic} until {@code count} have the key, waiting up to two minutes. */
    <V> List<V> awaitValues(String topic, String key, int count) {
        return awaitValues(topic, key, count, Duration.ofSeconds(120));
    }

    <V> List<V> awaitValues(String topic, String key, int count, Duration timeout) {
        return TopicRecords.readUntil(broker, topic, this.<V>deserializer(),
                        list -> list.stream().filter(r -> key.equals(r.key())).count() >= count, timeout)
                .stream().filter(r -> key.equals(r.key())).map(ConsumerRecord::value).toList();
    }

    <V> AvroDeserializer<V> deserializer() {
        AvroDeserializer<V> d = new AvroDeserializer<>();
        d.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url(), AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        return d;
    }

    /** The server's PostgreSQL major version, e.g. 15. */
    static int majorVersion(PostgresServer pg) throws SQLException {
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** A server that allows dumps and restores, reached as postgres with the credential {@code credential}. */
    static ServerConfig server(String id, PostgresServer pg, String credential) {
        return ServerConfig.newBuilder(SampleEvents.serverConfig()).setServerId(id).setName(id).setHost(pg.host())
                .setPort(pg.port()).setUsername("postgres").setMaintenanceDatabase("postgres").setCredentialRef(credential)
                .setSslMode(SslMode.DISABLE).setWorkerPool("default").setPgBinDir(null).setAllowDumps(true)
                .setAllowRestores(true).setMaxConcurrentDumps(2).setVerification(null).build();
    }
}
