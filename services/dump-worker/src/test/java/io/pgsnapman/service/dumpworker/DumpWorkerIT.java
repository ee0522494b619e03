package io.pgsnapman.service.dumpworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.deadletters.DeadLetterHeaders;
import io.pgsnapman.deadletters.Stage;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.config.SslMode;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.dump.DumpSpec;
import io.pgsnapman.events.dump.DumpTrigger;
import io.pgsnapman.events.dump.DumpType;
import io.pgsnapman.events.dump.VerificationStatus;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.registry.serde.AvroSerdeConfig;
import io.pgsnapman.registry.serde.AvroSerializer;
import io.pgsnapman.repository.DumpReader;
import io.pgsnapman.repository.FilesystemDumpRepository;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.MutableClock;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import io.pgsnapman.testsupport.ServiceEndpoints;
import io.pgsnapman.testsupport.TopicRecords;
import io.pgsnapman.testsupport.WithKafka;
import io.pgsnapman.testsupport.WithPostgres;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The dump worker against real PostgreSQL, Kafka and registry, with its repository in a temp directory. */
@WithKafka
@WithSchemaRegistry
@WithPostgres(servers = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DumpWorkerIT {

    private final KafkaBroker broker;
    private final SchemaRegistryServer registry;
    private final PostgresServer pg;
    private ServiceApps.Running worker;
    private Path repository;

    DumpWorkerIT(KafkaBroker broker, SchemaRegistryServer registry, PostgresServers servers) {
        this.broker = broker;
        this.registry = registry;
        this.pg = servers.get(0);
    }

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE reporting");
            st.execute("CREATE DATABASE shop");
            st.execute("GRANT CONNECT ON DATABASE shop TO reporting");
        }
        try (Connection c = pg.connect("shop"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE items (id int PRIMARY KEY, name text)");
            st.execute("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 1000) g");
            st.execute("CREATE SCHEMA audit");
            st.execute("CREATE TABLE audit.log AS SELECT g AS id FROM generate_series(1, 10) g");
            st.execute("ANALYZE");
            // rows the planner's estimate does not know of: the manifest must have the exact count
            st.execute("INSERT INTO items SELECT g, 'late ' || g FROM generate_series(1001, 1234) g");
        }
        repository = dir.resolve("repository");
        Path credentials = Files.createDirectories(dir.resolve("credentials"));
        Files.writeString(credentials.resolve("pg1"), pg.password());
        publish(Topics.CONFIG_SERVERS.name(), "srv-pg1", server("srv-pg1", "pg1", "default", 2));
        worker = ServiceApps.start(DumpWorkerApplication.class, Map.of(
                "spring.kafka.bootstrap-servers", broker.bootstrapServers(),
                "spring.kafka.properties.schema.registry.url", registry.url(),
                "pgsnapman.dump-worker.repository", repository.toString(),
                "pgsnapman.dump-worker.credentials-dir", credentials.toString(),
                "pgsnapman.dump-worker.progress-interval", "1s",
                "pgsnapman.dump-worker.lease-stale-after", "4s"));
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(ServiceEndpoints.probeProblems(worker.port())).isEmpty());
    }

    @AfterAll
    void stop() {
        if (worker != null) {
            worker.close();
        }
    }

    private void publish(String topic, String key, SpecificRecord value) throws Exception {
        Map<String, Object> props = Map.of("bootstrap.servers", broker.bootstrapServers(), AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(props, false);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props, new StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** The test server as a server of the configuration, allowing dumps, in a worker pool. */
    private ServerConfig server(String serverId, String name, String pool, int maxConcurrentDumps) {
        return ServerConfig.newBuilder(SampleEvents.serverConfig()).setServerId(serverId).setName(name)
                .setHost(pg.host()).setPort(pg.port()).setUsername("postgres").setMaintenanceDatabase("postgres")
                .setCredentialRef("pg1").setSslMode(SslMode.DISABLE).setWorkerPool(pool).setPgBinDir(null)
                .setAllowDumps(true).setMaxConcurrentDumps(maxConcurrentDumps).build();
    }

    private static DumpRequested tick(String dumpId, DumpSpec spec) {
        return DumpRequested.newBuilder(SampleEvents.dumpRequested())
                .setDumpId(dumpId).setDumpJobId(dumpId.substring(0, dumpId.indexOf('/'))).setServerId("srv-pg1")
                .setWorkerPool("default").setSpec(spec).setTrigger(DumpTrigger.CRON).setNotBefore(null)
                .setScheduledAt(Instant.parse("2026-04-01T02:00:00Z")).setVerify(true).setPin(false).setDedup(false).build();
    }

    private static DumpSpec full(String database) {
        return DumpSpec.newBuilder().setDumpType(DumpType.FULL).setDatabaseName(database).setParallelJobs(2)
                .setCompressionLevel(null).setSchemaName(null).setExcludeSchemas(List.of()).setExcludeTableData(List.of())
                .build();
    }

    private List<DumpCompleted> outcomes(String dumpId, int atLeast) {
        AvroDeserializer<DumpCompleted> d = new AvroDeserializer<>();
        d.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url(), AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        return TopicRecords.readUntil(broker, Topics.DUMP_COMPLETED.name(), d,
                        list -> list.stream().filter(r -> r.value().getDumpId().equals(dumpId)).count() >= atLeast,
                        Duration.ofSeconds(120))
                .stream().map(ConsumerRecord::value).filter(v -> v.getDumpId().equals(dumpId)).toList();
    }

    @Test
    void fullDumpIsStoredWithItsManifestVerifiedAndReported() throws Exception {
        // Given a tick for a FULL dump of a database with data (some unknown to the planner), a grant and a second schema
        publish(Topics.SCHEDULE_TICKS.name(), "srv-pg1", tick("job-shop/20260401T020000Z", full("shop")));

        // When the worker has taken it
        DumpCompleted done = outcomes("job-shop/20260401T020000Z", 1).get(0);

        // Then it SUCCEEDED, verified, with sizes and versions, and the repository holds it with its manifest
        assertThat(done.getOutcome()).as(String.valueOf(done.getFailure())).isEqualTo(Outcome.SUCCEEDED);
        assertThat(done.getVerification()).isEqualTo(VerificationStatus.VERIFIED);
        assertThat(done.getSizeBytes()).isPositive();
        assertThat(done.getFileCount()).isGreaterThan(1);
        assertThat(done.getServerVersion()).isEqualTo(serverVersion());
        DumpReader reader = new FilesystemDumpRepository(repository).open("job-shop/20260401T020000Z").orElseThrow();
        Manifest manifest = reader.manifest();
        assertThat(manifest.files()).extracting(Manifest.FileEntry::path).contains("toc.dat");
        assertThat(manifest.database().acl()).anyMatch(a -> a.startsWith("reporting=c/"));
        assertThat(manifest.tables()).extracting(Manifest.TableRows::schema, Manifest.TableRows::table,
                Manifest.TableRows::rows, Manifest.TableRows::exact)
                .contains(tuple("public", "items", 1234L, true), tuple("audit", "log", 10L, true));
        assertThat(manifest.tables()).allSatisfy(t -> assertThat(t.checksum()).matches("hc64:-?\\d+"));
        assertThat(manifest.database().sizeBytes()).isPositive();
        assertThat(done.getDatabaseSizeBytes()).isEqualTo(manifest.database().sizeBytes());
        assertThat(reader.verify()).isEmpty();
        assertThat(reader.manifestSha256()).isEqualTo(done.getManifestSha256());
        // and pg_restore reads the stored dump
        Process list = new ProcessBuilder(pg.binDir().resolve("pg_restore").toString(), "--list", reader.directory().toString())
                .redirectErrorStream(true).start();
        String toc = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(list.waitFor(60, TimeUnit.SECONDS) && list.exitValue() == 0).as(toc).isTrue();
        assertThat(toc).contains("TABLE DATA public items").contains("TABLE audit log");
    }

    @Test
    void aDedupDumpIsKeptAsChunksAndLaterDumpsOfTheSameDataAddLittle() throws Exception {
        // Given a database with 20,000 rows of text that does not repeat, and a copy of it
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE ledger");
        }
        try (Connection c = pg.connect("ledger"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE entries (id int PRIMARY KEY, memo text)");
            st.execute("INSERT INTO entries SELECT g, md5(g::text) || md5((g * 7)::text) FROM generate_series(1, 20000) g");
        }
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE ledger_copy TEMPLATE ledger");
        }

        // When it is dumped with dedup, dumped again after 1 % more rows, and its copy is dumped
        DumpCompleted first = dedupDump("job-ledger/20260401T020000Z", "ledger");
        try (Connection c = pg.connect("ledger"); Statement st = c.createStatement()) {
            st.execute("INSERT INTO entries SELECT g, md5(g::text) || md5((g * 7)::text) FROM generate_series(20001, 20200) g");
        }
        DumpCompleted second = dedupDump("job-ledger/20260402T020000Z", "ledger");
        DumpCompleted copy = dedupDump("job-ledger-copy/20260401T020000Z", "ledger_copy");

        // Then the first is kept as compressed chunks: it verifies and rebuilds into files pg_restore reads
        DumpReader reader = new FilesystemDumpRepository(repository).open(first.getDumpId()).orElseThrow();
        assertThat(reader.manifest().chunked()).isTrue();
        assertThat(reader.manifest().files()).allMatch(Manifest.FileEntry::chunked);
        assertThat(first.getStoredBytes()).isPositive().isLessThan(first.getSizeBytes());
        assertThat(first.getVerification()).isEqualTo(VerificationStatus.VERIFIED);
        Path rebuilt = Files.createTempDirectory("rebuilt");
        assertThat(reader.materialize(rebuilt)).isEmpty();
        Process list = new ProcessBuilder(pg.binDir().resolve("pg_restore").toString(), "--list", rebuilt.toString())
                .redirectErrorStream(true).start();
        String toc = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(list.waitFor(60, TimeUnit.SECONDS) && list.exitValue() == 0).as(toc).isTrue();
        assertThat(toc).contains("TABLE DATA public entries");
        // and the next dump of the same data, and the dump of its copy, each add a small fraction of its bytes
        System.out.printf("dedup: first dump %d bytes logical, %d stored; after 1 %% more rows %d stored; its copy %d stored%n",
                first.getSizeBytes(), first.getStoredBytes(), second.getStoredBytes(), copy.getStoredBytes());
        assertThat(second.getStoredBytes()).isLessThan(first.getStoredBytes() / 5);
        assertThat(copy.getStoredBytes()).isLessThan(first.getStoredBytes() / 5);
    }

    private DumpCompleted dedupDump(String dumpId, String database) throws Exception {
        publish(Topics.SCHEDULE_TICKS.name(), "srv-pg1", DumpRequested.newBuilder(tick(dumpId, full(database)))
                .setDedup(true).build());
        DumpCompleted done = outcomes(dumpId, 1).get(0);
        assertThat(done.getOutcome()).as(String.valueOf(done.getFailure())).isEqualTo(Outcome.SUCCEEDED);
        return done;
    }

    @Test
    void aMissingDatabaseFailsWithPgDumpsMessageAndLeavesNothing() throws Exception {
        publish(Topics.SCHEDULE_TICKS.name(), "srv-pg1", tick("job-ghost/20260401T020000Z", full("ghost")));

        DumpCompleted done = outcomes("job-ghost/20260401T020000Z", 1).get(0);

        assertThat(done.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(done.getFailure().getExitCode()).isEqualTo(1);
        assertThat(done.getFailure().getStderrExcerpt()).contains("database \"ghost\" does not exist");
        assertThat(done.getFailure().getCode()).isEqualTo("3D000");
        assertThat(done.getFailure().getRetriable()).isFalse();
        assertThat(new FilesystemDumpRepository(repository).open("job-ghost/20260401T020000Z")).isEmpty();
        try (var staging = Files.list(repository.resolve(".staging"))) {
            assertThat(staging.filter(p -> !p.getFileName().toString().startsWith("stale-lease"))).isEmpty();
        }
    }

    @Test
    void theSameTickDeliveredTwiceMakesOneDump() throws Exception {
        // Given the same tick published twice
        DumpRequested tick = tick("job-twice/20260401T020000Z", full("shop"));
        publish(Topics.SCHEDULE_TICKS.name(), "srv-pg1", tick);
        publish(Topics.SCHEDULE_TICKS.name(), "srv-pg1", tick);

        // When both have been answered
        List<DumpCompleted> done = outcomes("job-twice/20260401T020000Z", 2);

        // Then both answers describe the same single dump
        assertThat(done).allMatch(d -> d.getOutcome() == Outcome.SUCCEEDED);
        assertThat(done).extracting(DumpCompleted::getStartedAt).containsOnly(done.get(0).getStartedAt());
        assertThat(done).extracting(DumpCompleted::getManifestSha256).containsOnly(done.get(0).getManifestSha256());
        assertThat(new FilesystemDumpRepository(repository).list())
                .filteredOn(m -> m.dumpId().equals("job-twice/20260401T020000Z")).hasSize(1);
    }

    @Test
    void globalsAreDumpedWithPgDumpall() throws Exception {
        DumpSpec globals = DumpSpec.newBuilder().setDumpType(DumpType.GLOBALS).setDatabaseName(null).setSchemaName(null)
                .setParallelJobs(1).setCompressionLevel(null).setExcludeSchemas(List.of()).setExcludeTableData(List.of()).build();
        publish(Topics.SCHEDULE_TICKS.name(), "srv-pg1", tick("job-globals/20260401T020000Z", globals));

        DumpCompleted done = outcomes("job-globals/20260401T020000Z", 1).get(0);

        assertThat(done.getOutcome()).as(String.valueOf(done.getFailure())).isEqualTo(Outcome.SUCCEEDED);
        DumpReader reader = new FilesystemDumpRepository(repository).open("job-globals/20260401T020000Z").orElseThrow();
        assertThat(Files.readString(reader.directory().resolve("globals.sql"))).contains("CREATE ROLE reporting");
    }

    @Test
    void anUndecodableTickGoesToTheDeadLetterTopicWithTheError() throws Exception {
        Map<String, Object> props = Map.of("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.SCHEDULE_TICKS.name(), "srv-pg1".getBytes(), "not avro".getBytes())).get();
        }

        ConsumerRecord<String, byte[]> dead = TopicRecords.readUntil(broker, Topics.SCHEDULE_TICKS.deadLetterTopic(),
                new ByteArrayDeserializer(), list -> !list.isEmpty(), Duration.ofSeconds(60)).get(0);

        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
        assertThat(new String(dead.headers().lastHeader("pgsnapman-dlt-message").value(), StandardCharsets.UTF_8))
                .contains("not in the Confluent Avro wire format");
        assertThat(DeadLetterHeaders.stage(dead.headers())).contains(Stage.DECODE);
        assertThat(DeadLetterHeaders.text(dead.headers(), DeadLetterHeaders.ORIGINAL_TOPIC)).contains(Topics.SCHEDULE_TICKS.name());
    }

    @Test
    void aWorkerWhoseLeaseIsTakenOverKillsItsPgDumpCleansUpAndPublishesNothing() throws Exception {
        // Given a dump whose pg_dump waits on a table another transaction keeps locked
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE contested");
        }
        try (Connection c = pg.connect("contested"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t AS SELECT g FROM generate_series(1, 100) g");
        }
        String dumpId = "job-contested/20260401T020000Z";
        Path lease = repository.resolve(".leases/dumps~job-contested~20260401T020000Z.lease");
        try (Connection locker = pg.connect("contested"); Statement lock = locker.createStatement()) {
            locker.setAutoCommit(false);
            lock.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE");
            publish(Topics.SCHEDULE_TICKS.name(), "srv-pg1", tick(dumpId, full("contested")));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> pgDumpsWaiting() > 0 && pgDumpProcesses() == 1
                    && Files.exists(lease));

            // When another worker takes the lease over (as one that saw it stale would)
            Files.writeString(lease, "intruder " + UUID.randomUUID() + "\n");

            // Then the worker kills its pg_dump and removes its partial dump at its next renewal (before it may take the
            // dump again once the intruder's lease is stale; the killed client's server backend waits on the lock until
            // it is released, as PostgreSQL notices a vanished client only then)
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> pgDumpProcesses() == 0 && stagedDumps() == 0);
            locker.rollback();
        }

        // And once the intruder's lease is stale, the dump is taken again: one outcome, SUCCEEDED, nothing before it
        List<DumpCompleted> done = outcomes(dumpId, 1);
        assertThat(done).singleElement().satisfies(d -> assertThat(d.getOutcome()).isEqualTo(Outcome.SUCCEEDED));
    }

    private long pgDumpsWaiting() throws Exception {
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = 'contested'"
                        + " AND application_name = 'pgsnapman-dump-worker' AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The test server's own {@code server_version}, whatever PostgreSQL the harness found. */
    private String serverVersion() throws Exception {
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** pg_dump processes writing into this test's repository. */
    private long pgDumpProcesses() {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                .map(line -> line.contains("pg_dump") && line.contains(repository.toString())).orElse(false)).count();
    }

    private long stagedDumps() throws Exception {
        try (Stream<Path> entries = Files.list(repository.resolve(".staging"))) {
            return entries.filter(Files::isDirectory).count();
        }
    }

    @Test
    void aServerAllowingOneDumpAtATimeGetsItsDumpsOneAfterTheOther() throws Exception {
        // Given a server that allows one dump at a time, and two ticks for it at once
        publish(Topics.CONFIG_SERVERS.name(), "srv-one", server("srv-one", "one-at-a-time", "default", 1));
        CompactedTopicCache<?> servers = worker.context().getBean(CompactedTopicCache.class);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> servers.get("srv-one").isPresent());
        publish(Topics.SCHEDULE_TICKS.name(), "srv-one",
                DumpRequested.newBuilder(tick("job-one/20260401T020000Z", full("shop"))).setServerId("srv-one").build());
        publish(Topics.SCHEDULE_TICKS.name(), "srv-one",
                DumpRequested.newBuilder(tick("job-one/20260401T030000Z", full("shop"))).setServerId("srv-one").build());

        // When both are done
        DumpCompleted first = outcomes("job-one/20260401T020000Z", 1).get(0);
        DumpCompleted second = outcomes("job-one/20260401T030000Z", 1).get(0);

        // Then both succeeded and their runs did not overlap, although the worker could run two dumps at once
        assertThat(List.of(first, second)).allMatch(d -> d.getOutcome() == Outcome.SUCCEEDED);
        boolean overlapped = first.getStartedAt().isBefore(second.getFinishedAt())
                && second.getStartedAt().isBefore(first.getFinishedAt());
        assertThat(overlapped).as("%s-%s and %s-%s", first.getStartedAt(), first.getFinishedAt(),
                second.getStartedAt(), second.getFinishedAt()).isFalse();
    }

    @Test
    void aTickWithADelayInsideTheBackupWindowStartsNoEarlierThanAsked(@TempDir Path dir) throws Exception {
        // Given a worker of the pool "late" on a clock the test moves, and a server of that pool
        MutableClock clock = new MutableClock(Instant.parse("2026-04-01T02:00:00Z"));
        Path credentials = Files.createDirectories(dir.resolve("credentials"));
        Files.writeString(credentials.resolve("pg1"), pg.password());
        publish(Topics.CONFIG_SERVERS.name(), "srv-late", server("srv-late", "late", "late", 2));
        try (ServiceApps.Running late = ServiceApps.start(DumpWorkerApplication.class, Map.of(
                "spring.kafka.bootstrap-servers", broker.bootstrapServers(),
                "spring.kafka.properties.schema.registry.url", registry.url(),
                "pgsnapman.dump-worker.instance-id", "late-worker",
                "pgsnapman.dump-worker.worker-pool", "late",
                "pgsnapman.dump-worker.repository", dir.resolve("repository").toString(),
                "pgsnapman.dump-worker.credentials-dir", credentials.toString()), Map.of(Clock.class, clock))) {
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(ServiceEndpoints.probeProblems(late.port())).isEmpty());

            // When a tick asks to start no earlier than 02:40, and a tick without a delay follows it on its partition
            Instant notBefore = Instant.parse("2026-04-01T02:40:00Z");
            publish(Topics.SCHEDULE_TICKS.name(), "srv-late", DumpRequested.newBuilder(tick("job-late/20260401T020000Z", full("shop")))
                    .setServerId("srv-late").setWorkerPool("late").setNotBefore(notBefore).build());
            publish(Topics.SCHEDULE_TICKS.name(), "srv-late", DumpRequested.newBuilder(tick("job-now/20260401T020000Z", full("shop")))
                    .setServerId("srv-late").setWorkerPool("late").build());

            // Then the one behind it is dumped at once (so the worker holds the delayed one), and when the clock
            // reaches 02:40 the delayed one starts, not before
            assertThat(outcomes("job-now/20260401T020000Z", 1).get(0).getStartedAt()).isBefore(notBefore);
            clock.set(notBefore.plusSeconds(1));
            DumpCompleted done = outcomes("job-late/20260401T020000Z", 1).get(0);
            assertThat(done.getOutcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(done.getStartedAt()).isAfterOrEqualTo(notBefore);
        }
    }
}
