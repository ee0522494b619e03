package io.pgsnapman.service.restoreworker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.activity.SubjectType;
import io.pgsnapman.events.activity.ActivityKind;
import io.pgsnapman.events.activity.ActivityEvent;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.config.RestoreHooks;
import io.pgsnapman.events.config.SslMode;
import io.pgsnapman.events.dump.DumpTrigger;
import io.pgsnapman.events.dump.DumpType;
import io.pgsnapman.events.restore.ExistingDatabasePolicy;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.restore.RestoreOptions;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.events.restore.RestoreTrigger;
import io.pgsnapman.events.restore.RolePolicy;
import io.pgsnapman.events.restore.TablespacePolicy;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.registry.serde.AvroSerdeConfig;
import io.pgsnapman.registry.serde.AvroSerializer;
import io.pgsnapman.repository.DumpWriter;
import io.pgsnapman.repository.FilesystemDumpRepository;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.schemas.DumpFormat;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.testsupport.FreePorts;
import io.pgsnapman.testsupport.KafkaBroker;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore requests produced by a plain Kafka producer with our serde, against a real worker, two real
 * PostgreSQL servers (source and target) and a repository holding a real pg_dump.
 */
@WithKafka
@WithSchemaRegistry
@WithPostgres(servers = 2)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreRequestIT {

    private static final String DUMP = "job-shop/20260501T020000Z";
    private static final String CRM_DUMP = "job-crm/20260501T020000Z";
    /** Longer than any wait below: a retry that comes sooner was woken by the target's configuration changing. */
    private static final Duration RETRY_DELAY = Duration.ofMinutes(10);

    private final KafkaBroker broker;
    private final SchemaRegistryServer registry;
    private final PostgresServer source;
    private final PostgresServer target;
    private Path repository;
    private Path scratch;
    /** Data files from this size on are piped to pg_restore: the test's tables are small. */
    private static final long PIPE_FROM_BYTES = 4096;
    private ServiceApps.Running worker;

    RestoreRequestIT(KafkaBroker broker, SchemaRegistryServer registry, PostgresServers servers) {
        this.broker = broker;
        this.registry = registry;
        this.source = servers.get(0);
        this.target = servers.get(1);
    }

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        for (PostgresServer server : List.of(source, target)) {
            try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
                st.execute("CREATE ROLE reporting");
            }
        }
        try (Connection c = source.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE shop");
        }
        try (Connection c = source.connect("shop"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE items (id int PRIMARY KEY, name text)");
            st.execute("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 1000) g");
            st.execute("CREATE DATABASE crm");
        }
        try (Connection c = source.connect("crm"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL UNIQUE)");
            st.execute("INSERT INTO customers SELECT g, 'person' || g || '@customer.example' FROM generate_series(1, 5000) g");
        }
        repository = dir.resolve("repository");
        scratch = dir.resolve("scratch");
        dump("shop", DUMP, false);
        dump("crm", CRM_DUMP, false);
        Path credentials = Files.createDirectories(dir.resolve("credentials"));
        Files.writeString(credentials.resolve("target"), target.password());
        publish(Topics.CONFIG_SERVERS.name(), "srv-target", server("srv-target", true));
        publish(Topics.CONFIG_SERVERS.name(), "srv-closed", server("srv-closed", false));
        publish(Topics.CONFIG_SERVERS.name(), "srv-flaky",
                ServerConfig.newBuilder(server("srv-flaky", true)).setPort(FreePorts.find()).build()); // nothing listens there
        worker = ServiceApps.start(RestoreWorkerApplication.class, Map.of(
                "spring.kafka.bootstrap-servers", broker.bootstrapServers(),
                "spring.kafka.properties.schema.registry.url", registry.url(),
                "pgsnapman.restore-worker.repository", repository.toString(),
                "pgsnapman.restore-worker.credentials-dir", credentials.toString(),
                "pgsnapman.restore-worker.scratch-dir", scratch.toString(),
                "pgsnapman.restore-worker.pipe-files-from", PIPE_FROM_BYTES + "B",
                "pgsnapman.restore-worker.attempts", "3",
                "pgsnapman.restore-worker.retry-delay", RETRY_DELAY.toSeconds() + "s"));
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(ServiceEndpoints.probeProblems(worker.port())).isEmpty());
    }

    @AfterAll
    void stop() {
        if (worker != null) {
            worker.close();
        }
    }

    private ServerConfig server(String id, boolean allowRestores) {
        return ServerConfig.newBuilder(SampleEvents.serverConfig()).setServerId(id).setName(id).setHost(target.host())
                .setPort(target.port()).setUsername("postgres").setMaintenanceDatabase("postgres").setCredentialRef("target")
                .setSslMode(SslMode.DISABLE).setWorkerPool("default").setPgBinDir(null).setAllowRestores(allowRestores).build();
    }

    /**
     * A real pg_dump of the source database stored in the repository as the dump-worker stores it: its files as
     * they are, or (with dedup) written uncompressed and kept as chunks.
     */
    private void dump(String database, String dumpId, boolean chunked) throws Exception {
        FilesystemDumpRepository repo = new FilesystemDumpRepository(repository);
        try (DumpWriter writer = repo.begin(dumpId)) {
            List<String> command = new java.util.ArrayList<>(List.of(source.binDir().resolve("pg_dump").toString(),
                    "--format=directory", "--file=" + writer.directory(), "-h", source.host(), "-p",
                    Integer.toString(source.port()), "-U", "postgres", database));
            if (chunked) {
                command.add("--compress=0");
            }
            ProcessBuilder pgDump = new ProcessBuilder(command).redirectErrorStream(true);
            pgDump.environment().put("PGPASSWORD", source.password());
            Process p = pgDump.start();
            assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
            if (chunked) {
                try (var files = Files.list(writer.directory())) {
                    for (Path file : files.toList()) {
                        writer.storeAsChunks(file.getFileName().toString());
                    }
                }
            }
            writer.commit(Manifest.builder().dumpId(dumpId).dumpJobId(dumpId.substring(0, dumpId.indexOf('/')))
                    .serverId("srv-source").databaseName(database)
                    .dumpType(DumpType.FULL).format(DumpFormat.DIRECTORY).trigger(DumpTrigger.CRON)
                    .scheduledAt(Instant.parse("2026-05-01T02:00:00Z")).startedAt(Instant.now()).finishedAt(Instant.now())
                    .serverVersion("15").pgDumpVersion("15")
                    .database(new Manifest.DatabaseInfo("postgres", "UTF8", "C", "C", "pg_default", -1,
                            List.of("=Tc/postgres", "postgres=CTc/postgres", "reporting=c/postgres"), List.of("work_mem=64MB")))
                    .tables(database.equals("crm") ? List.of(new Manifest.TableRows("public", "customers", 5000, true))
                            : List.of(new Manifest.TableRows("public", "items", 1000, true))).verified(true).build());
        }
    }

    /** A fingerprint of a table's whole content on a server. */
    private static String fingerprint(PostgresServer server, String database) throws Exception {
        try (Connection c = server.connect(database); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) || ':' || md5(string_agg(id || '=' || name, ',' ORDER BY id)) FROM items")) {
            rs.next();
            return rs.getString(1);
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

    private static RestoreRequested request(String id, String server, String database, String dumpId, ExistingDatabasePolicy policy) {
        return RestoreRequested.newBuilder().setHeader(SampleEvents.header()).setRestoreRequestId(id).setDumpId(dumpId)
                .setSourceDumpJobId(null).setTargetServerId(server).setTargetDatabaseName(database)
                .setOptions(RestoreOptions.newBuilder().setExistingDatabase(policy).setRoles(RolePolicy.NO_ROLE)
                        .setTablespaces(TablespacePolicy.NO_TBLSPC).build())
                .setTrigger(RestoreTrigger.EXTERNAL).setRestoreJobId(null).setRequestedBy("other-system").build();
    }

    private List<RestoreCompleted> outcomes(String id, int count) {
        AvroDeserializer<RestoreCompleted> d = AvroDeserializer.forSpecificValues(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url()));
        return TopicRecords.readUntil(broker, Topics.RESTORE_COMPLETED.name(), d,
                        list -> list.stream().filter(r -> r.key().equals(id)).count() >= count, Duration.ofSeconds(120))
                .stream().filter(r -> r.key().equals(id)).map(ConsumerRecord::value).toList();
    }

    private RestoreCompleted ask(RestoreRequested request) throws Exception {
        publish(Topics.RESTORE_REQUESTED.name(), request.getTargetServerId(), request);
        return outcomes(request.getRestoreRequestId(), 1).get(0);
    }

    private long count(String database, String sql) throws Exception {
        try (Connection c = target.connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void invalidRequestsAreRejectedWithAReason() throws Exception {
        assertThat(ask(request("r-unknown-target", "srv-nowhere", "x", DUMP, ExistingDatabasePolicy.LEAVE)))
                .satisfies(o -> assertRejected(o, "UNKNOWN_TARGET", "targetServerId"));
        assertThat(ask(request("r-closed", "srv-closed", "x", DUMP, ExistingDatabasePolicy.LEAVE)))
                .satisfies(o -> assertRejected(o, "TARGET_DISALLOWS_RESTORES", "targetServerId"));
        assertThat(ask(request("r-no-dump", "srv-target", "x", "job-shop/19990101T000000Z", ExistingDatabasePolicy.LEAVE)))
                .satisfies(o -> assertRejected(o, "UNKNOWN_DUMP", "dumpId"));
        assertThat(ask(request("r-bad-name", "srv-target", "shop\";DROP", DUMP, ExistingDatabasePolicy.LEAVE)))
                .satisfies(o -> assertRejected(o, "INVALID_DATABASE_NAME", "targetDatabaseName"));
    }

    private static void assertRejected(RestoreCompleted outcome, String code, String field) {
        assertThat(outcome.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(outcome.getFailure().getCode()).isEqualTo(code);
        assertThat(outcome.getFailure().getField()).isEqualTo(field);
        assertThat(outcome.getFailure().getReason()).isNotBlank();
        assertThat(outcome.getStartedAt()).isNull();
    }

    @Test
    void aValidRequestRestoresWithRowsGrantsAndSettingsAndTheSameIdRestoresOnce() throws Exception {
        // Given a request for a new database
        RestoreRequested request = request("r-copy-" + UUID.randomUUID(), "srv-target", "shop_copy", DUMP,
                ExistingDatabasePolicy.LEAVE);

        // When it is asked for
        RestoreCompleted first = ask(request);

        // Then the copy has every row, the database-level grant and setting, and the row check says so
        assertThat(first.getOutcome()).as(String.valueOf(first.getFailure())).isEqualTo(Outcome.SUCCEEDED);
        assertThat(first.getRowCountsMatch()).isTrue();
        assertThat(first.getAttempts()).isEqualTo(1);
        assertThat(count("shop_copy", "SELECT count(*) FROM items")).isEqualTo(1000);
        assertThat(count("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'shop_copy' "
                + "AND has_database_privilege('reporting', oid, 'CONNECT')")).isEqualTo(1);
        assertThat(count("postgres", "SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase "
                + "WHERE d.datname = 'shop_copy' AND 'work_mem=64MB' = ANY (s.setconfig)")).isEqualTo(1);
        // and its progress was reported on the activity topic, step by step, ending with its outcome
        AvroDeserializer<ActivityEvent> activities = AvroDeserializer.forSpecificValues(
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url()));
        List<ActivityEvent> reported = TopicRecords.readUntil(broker, Topics.ACTIVITY.name(), activities,
                        list -> list.stream().anyMatch(r -> request.getRestoreRequestId().equals(r.value().getSubjectId())
                                && r.value().getMessage().startsWith("restore SUCCEEDED")), Duration.ofSeconds(60))
                .stream().map(ConsumerRecord::value)
                .filter(a -> request.getRestoreRequestId().equals(a.getSubjectId())).toList();
        assertThat(reported).allMatch(a -> a.getSubjectType() == SubjectType.RESTORE && "srv-target".equals(a.getServerId()));
        List<ActivityEvent> steps = reported.stream()
                .filter(a -> a.getKind() == ActivityKind.PROGRESS && "steps".equals(a.getProgress().getUnit())).toList();
        assertThat(steps).extracting(a -> a.getProgress().getDone()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(steps).extracting(a -> a.getProgress().getTotal()).containsOnly(10L);
        assertThat(steps).extracting(a -> a.getProgress().getPhase()).containsExactly("verify checksums", "inspect target",
                "ensure roles", "create database", "run pre-restore hook", "load data", "apply grants and settings", "run post-restore hook",
                "swap into place", "check row counts");
        assertThat(reported.get(0).getMessage()).contains("started");

        // And when the same request id comes again after the copy changed
        try (Connection c = target.connect("shop_copy"); Statement st = c.createStatement()) {
            st.execute("DELETE FROM items WHERE id <= 10");
        }
        publish(Topics.RESTORE_REQUESTED.name(), "srv-target", request);
        List<RestoreCompleted> answers = outcomes(request.getRestoreRequestId(), 2);

        // Then it is answered with the same outcome and nothing was restored again
        assertThat(answers.get(1).getFinishedAt()).isEqualTo(first.getFinishedAt());
        assertThat(count("shop_copy", "SELECT count(*) FROM items")).isEqualTo(990);
    }

    @Test
    void existingDatabasePoliciesLeaveDropAndRename() throws Exception {
        try (Connection c = target.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE policy_target");
        }
        try (Connection c = target.connect("policy_target"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE marker (x int)");
        }

        RestoreCompleted leave = ask(request("r-leave", "srv-target", "policy_target", DUMP, ExistingDatabasePolicy.LEAVE));
        assertThat(leave.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(leave.getFailure().getCode()).isEqualTo("TARGET_EXISTS");
        assertThat(count("policy_target", "SELECT count(*) FROM pg_tables WHERE tablename = 'marker'")).isEqualTo(1);

        RestoreCompleted rename = ask(request("r-rename", "srv-target", "policy_target", DUMP, ExistingDatabasePolicy.RENAME));
        assertThat(rename.getOutcome()).as(String.valueOf(rename.getFailure())).isEqualTo(Outcome.SUCCEEDED);
        assertThat(rename.getPreviousDatabaseRenamedTo()).startsWith("policy_target_");
        assertThat(count(rename.getPreviousDatabaseRenamedTo(), "SELECT count(*) FROM pg_tables WHERE tablename = 'marker'")).isEqualTo(1);
        assertThat(count("policy_target", "SELECT count(*) FROM items")).isEqualTo(1000);

        try (Connection c = target.connect("policy_target"); Statement st = c.createStatement()) {
            st.execute("DELETE FROM items");
        }
        RestoreCompleted drop = ask(request("r-drop", "srv-target", "policy_target", DUMP, ExistingDatabasePolicy.DROP));
        assertThat(drop.getOutcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(count("policy_target", "SELECT count(*) FROM items")).isEqualTo(1000);
    }

    @Test
    void aDamagedDumpFailsNamingTheFileAndLeavesTheTargetUntouched() throws Exception {
        // Given a second copy of the dump with one byte flipped in its table of contents
        FilesystemDumpRepository repo = new FilesystemDumpRepository(repository);
        String damaged = "job-shop/20260502T020000Z";
        Path original = repo.open(DUMP).orElseThrow().directory();
        try (DumpWriter writer = repo.begin(damaged)) {
            try (var files = Files.list(original)) {
                for (Path f : files.filter(p -> !p.getFileName().toString().equals("manifest.json")).toList()) {
                    Files.copy(f, writer.directory().resolve(f.getFileName()));
                }
            }
            Manifest m = repo.open(DUMP).orElseThrow().manifest();
            writer.commit(m.toBuilder().dumpId(damaged).schemaName(null).files(null).build());
        }
        Path toc = repo.open(damaged).orElseThrow().directory().resolve("toc.dat");
        byte[] bytes = Files.readAllBytes(toc);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(toc, bytes);
        try (Connection c = target.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE untouched");
        }

        // When it is restored over an existing database with DROP
        RestoreCompleted outcome = ask(request("r-damaged", "srv-target", "untouched", damaged, ExistingDatabasePolicy.DROP));

        // Then it FAILED naming the file and its checksum, and the target database is as it was
        assertThat(outcome.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(outcome.getFailure().getCode()).isEqualTo("CHECKSUM_MISMATCH");
        assertThat(outcome.getFailure().getReason()).contains("toc.dat").contains("sha256");
        assertThat(outcome.getAttempts()).as("a damaged dump is not tried again").isEqualTo(1);
        assertThat(count("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'untouched'")).isEqualTo(1);
        assertThat(count("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'untouched_pgsnapman%'")).isZero();
    }

    @Test
    void aRestoreThatFailsForAPassingReasonIsTriedAgainAndSucceeds() throws Exception {
        // Given a target server configured at a port where nothing listens
        RestoreRequested request = request("r-retry-" + UUID.randomUUID(), "srv-flaky", "shop_retry", DUMP,
                ExistingDatabasePolicy.LEAVE);

        // When a restore to it is asked for, and the server's configuration is corrected once the first attempt failed
        publish(Topics.RESTORE_REQUESTED.name(), "srv-flaky", request);
        AvroDeserializer<ActivityEvent> activities = AvroDeserializer.forSpecificValues(
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url()));
        ActivityEvent retrying = TopicRecords.readUntil(broker, Topics.ACTIVITY.name(), activities,
                        list -> list.stream().anyMatch(r -> isRetryOf(request, r.value())), Duration.ofSeconds(60))
                .stream().map(ConsumerRecord::value).filter(a -> isRetryOf(request, a)).findFirst().orElseThrow();
        publish(Topics.CONFIG_SERVERS.name(), "srv-flaky", server("srv-flaky", true));

        // Then the first attempt was reported as retriable, and the correction woke the second, which restored the database
        assertThat(retrying.getMessage()).contains("attempt 1 of 3").contains("08001")
                .contains("trying again in " + RETRY_DELAY.toSeconds() + " s");
        RestoreCompleted outcome = outcomes(request.getRestoreRequestId(), 1).get(0);
        assertThat(outcome.getOutcome()).as(String.valueOf(outcome.getFailure())).isEqualTo(Outcome.SUCCEEDED);
        assertThat(outcome.getAttempts()).isEqualTo(2);
        assertThat(outcome.getStartedAt()).as("the first attempt's start").isBeforeOrEqualTo(retrying.getHeader().getOccurredAt());
        assertThat(count("shop_retry", "SELECT count(*) FROM items")).isEqualTo(1000);
    }

    private static boolean isRetryOf(RestoreRequested request, ActivityEvent a) {
        return request.getRestoreRequestId().equals(a.getSubjectId()) && a.getMessage().contains("trying again");
    }

    @Test
    void aDumpKeptAsChunksRestoresIdenticalAndLeavesNoScratchBehind() throws Exception {
        // Given the same database dumped with dedup: its files are chunks in the repository
        String chunked = "job-shop-dedup/20260501T020000Z";
        dump("shop", chunked, true);
        assertThat(new FilesystemDumpRepository(repository).open(chunked).orElseThrow().manifest().chunked()).isTrue();

        // When it is restored
        RestoreCompleted outcome = ask(request("r-dedup", "srv-target", "shop_dedup", chunked, ExistingDatabasePolicy.DROP));

        // Then the copy holds exactly the source's rows (its data file was piped), and the laid-out files are gone
        assertThat(outcome.getOutcome()).as(String.valueOf(outcome.getFailure())).isEqualTo(Outcome.SUCCEEDED);
        assertThat(outcome.getRowCountsMatch()).isTrue();
        assertThat(fingerprint(target, "shop_dedup")).isEqualTo(fingerprint(source, "shop"));
        try (var left = Files.walk(scratch)) {
            assertThat(left.filter(Files::isRegularFile).toList()).isEmpty();
        }
    }

    @Test
    void aFlippedByteInAPipedChunkFailsTheLoadNamingTheChunkAndThrowsTheTemporaryDatabaseAway() throws Exception {
        // Given a dump kept as chunks with one byte of a data chunk flipped, and a target database that exists
        Flipped flipped = flippedChunkDump();
        try (Connection c = target.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE untouched_by_pipes");
        }

        // When it is restored over the existing database with DROP (through a temporary database: the data file piped)
        RestoreCompleted outcome = ask(request("r-flipped-piped", "srv-target", "untouched_by_pipes", flipped.dumpId(),
                ExistingDatabasePolicy.DROP));

        // Then it FAILED naming the file and the chunk, found while loading, and the target is as it was
        assertFailedOnTheChunk(outcome, flipped, "untouched_by_pipes");
        assertThat(stepsReported("r-flipped-piped")).last().isEqualTo("load data");
    }

    @Test
    void aFlippedByteInAChunkFailsARestoreIntoTheTargetBeforeTouchingIt() throws Exception {
        // Given a dump kept as chunks with one byte of a data chunk flipped, and a target database that exists
        Flipped flipped = flippedChunkDump();
        try (Connection c = target.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE untouched_by_chunks");
        }

        // When it is restored with DROP_BEFORE (straight into the target: the dump rebuilt whole first)
        RestoreCompleted outcome = ask(request("r-flipped", "srv-target", "untouched_by_chunks", flipped.dumpId(),
                ExistingDatabasePolicy.DROP_BEFORE));

        // Then it FAILED at its first step, naming the file and the chunk, and the target was never dropped
        assertFailedOnTheChunk(outcome, flipped, "untouched_by_chunks");
        assertThat(stepsReported("r-flipped")).containsExactly("verify checksums");
    }

    /** A chunked dump and the chunk of its data file whose byte is flipped. */
    private record Flipped(String dumpId, String file, String chunk) {}

    private Flipped fragile;

    private synchronized Flipped flippedChunkDump() throws Exception {
        if (fragile != null) {
            return fragile;
        }
        try (Connection c = source.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE fragile");
        }
        try (Connection c = source.connect("fragile"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE items (id int PRIMARY KEY, name text)");
            st.execute("INSERT INTO items SELECT g, md5('fragile' || g) FROM generate_series(1, 5000) g");
        }
        String dumpId = "job-fragile/20260501T020000Z";
        dump("fragile", dumpId, true);
        var reader = new FilesystemDumpRepository(repository).open(dumpId).orElseThrow();
        Manifest.FileEntry data = reader.manifest().files().stream().filter(f -> f.path().endsWith(".dat")
                && !f.path().equals("toc.dat")).max(java.util.Comparator.comparingLong(Manifest.FileEntry::size)).orElseThrow();
        assertThat(data.size()).as("large enough to be piped").isGreaterThan(PIPE_FROM_BYTES);
        List<String> chunkIds = new java.util.ArrayList<>();
        io.pgsnapman.repository.chunks.ChunkIndex.read(reader.directory().resolve(data.chunks()), ref -> chunkIds.add(ref.id()));
        String chunk = chunkIds.get(chunkIds.size() - 1);
        Path chunkFile = repository.resolve("chunks").resolve(chunk.substring(0, 2)).resolve(chunk.substring(2, 4)).resolve(chunk);
        byte[] bytes = Files.readAllBytes(chunkFile);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(chunkFile, bytes);
        fragile = new Flipped(dumpId, data.path(), chunk);
        return fragile;
    }

    private void assertFailedOnTheChunk(RestoreCompleted outcome, Flipped flipped, String database) throws Exception {
        assertThat(outcome.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(outcome.getFailure().getCode()).isEqualTo("CHECKSUM_MISMATCH");
        assertThat(outcome.getFailure().getReason()).contains(flipped.file()).contains(flipped.chunk());
        assertThat(count("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + database + "'")).isEqualTo(1);
        assertThat(count("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE '" + database + "_pgsnapman%'"))
                .isZero();
        try (var left = Files.walk(scratch)) {
            assertThat(left.filter(f -> !Files.isDirectory(f)).toList()).as("the laid-out files are deleted").isEmpty();
        }
    }

    /** The names of the steps a restore reported reaching, in order. */
    private List<String> stepsReported(String requestId) throws Exception {
        AvroDeserializer<ActivityEvent> activities = AvroDeserializer.forSpecificValues(
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url()));
        return TopicRecords.readUntil(broker, Topics.ACTIVITY.name(), activities,
                        list -> list.stream().anyMatch(r -> requestId.equals(r.value().getSubjectId())
                                && r.value().getMessage().startsWith("restore FAILED")), Duration.ofSeconds(60))
                .stream().map(ConsumerRecord::value)
                .filter(a -> requestId.equals(a.getSubjectId()) && a.getKind() == ActivityKind.PROGRESS
                        && "steps".equals(a.getProgress().getUnit()))
                .map(a -> a.getProgress().getPhase()).toList();
    }

    /** A restore job with a post-restore SQL hook, as config-service publishes it. */
    private void restoreJob(String id, String postRestoreSql) throws Exception {
        publish(Topics.CONFIG_RESTORE_JOBS.name(), id, RestoreJobConfig.newBuilder(SampleEvents.restoreJobConfig())
                .setRestoreJobId(id).setName(id).setSourceDumpJobId("job-crm").setTargetServerId("srv-target").setScriptName(null)
                .setHooks(RestoreHooks.newBuilder().setPostRestoreSql(postRestoreSql).build()).build());
    }

    private static RestoreRequested ofJob(RestoreRequested request, String restoreJobId) {
        return RestoreRequested.newBuilder(request).setRestoreJobId(restoreJobId).setTrigger(RestoreTrigger.FAN_OUT).build();
    }

    @Test
    void aPostRestoreHookMasksTheCopyInTheTemporaryDatabaseSoTheTargetNeverShowsAnAddress() throws Exception {
        // Given a restore job whose hook masks every e-mail address, and a watcher reading the target all along
        restoreJob("rjob-masked", "UPDATE customers SET email = 'masked-' || id || '@example.invalid';");
        AtomicLong unmaskedSeen = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                try (Connection c = target.connect("crm_masked"); Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT count(*) FROM customers WHERE email NOT LIKE 'masked-%'")) {
                    rs.next();
                    unmaskedSeen.accumulateAndGet(rs.getLong(1), Math::max);
                    reads.incrementAndGet();
                } catch (Exception notThereYet) {
                    // the target exists only once the restore swapped it in
                }
            }
        }, "target-watcher");
        watcher.start();

        // When the job's restore is asked for
        RestoreCompleted outcome;
        try {
            outcome = ask(ofJob(request("r-masked-" + UUID.randomUUID(), "srv-target", "crm_masked", CRM_DUMP,
                    ExistingDatabasePolicy.LEAVE), "rjob-masked"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() > 0);
        } finally {
            watching.set(false);
            watcher.join();
        }

        // Then it succeeded, every address in the target is masked, and no reading of the target ever saw one unmasked
        assertThat(outcome.getOutcome()).as(String.valueOf(outcome.getFailure())).isEqualTo(Outcome.SUCCEEDED);
        assertThat(count("crm_masked", "SELECT count(*) FROM customers WHERE email LIKE 'masked-%@example.invalid'"))
                .isEqualTo(5000);
        assertThat(count("crm_masked", "SELECT count(*) FROM customers WHERE email LIKE '%@customer.example'")).isZero();
        assertThat(unmaskedSeen.get()).isZero();
        // and no temporary database is left behind
        assertThat(count("postgres", "SELECT count(*) FROM pg_database WHERE shobj_description(oid, 'pg_database') LIKE '"
                + TemporaryDatabaseSweeper.MARK + "%'")).isZero();
    }

    @Test
    void aFailingHookFailsTheRestoreWithTheServersMessageAndLeavesTheTargetAsItWas() throws Exception {
        // Given a target database with data of its own, and a job whose hook fails
        try (Connection c = target.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE crm_kept");
        }
        try (Connection c = target.connect("crm_kept"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customers (id int PRIMARY KEY, email text)");
            st.execute("INSERT INTO customers VALUES (1, 'kept@target.example')");
        }
        restoreJob("rjob-broken", "UPDATE customers SET email = 'changed-' || email;\nUPDATE no_such_table SET email = 'x';");

        // When the job's restore replaces the target
        RestoreCompleted outcome = ask(ofJob(request("r-broken-" + UUID.randomUUID(), "srv-target", "crm_kept", CRM_DUMP,
                ExistingDatabasePolicy.DROP), "rjob-broken"));

        // Then it FAILED naming the hook's error (not the rows it touched), and the target holds what it held
        assertThat(outcome.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(outcome.getFailure().getCode()).isEqualTo("HOOK_FAILED");
        assertThat(outcome.getFailure().getReason()).contains("no_such_table").contains("42P01")
                .doesNotContain("customer.example");
        assertThat(count("crm_kept", "SELECT count(*) FROM customers")).isEqualTo(1);
        assertThat(count("crm_kept", "SELECT count(*) FROM customers WHERE email = 'kept@target.example'")).isEqualTo(1);
        assertThat(count("postgres", "SELECT count(*) FROM pg_database WHERE shobj_description(oid, 'pg_database') LIKE '"
                + TemporaryDatabaseSweeper.MARK + "%'")).isZero();
    }

    @Test
    void aRequestNamingAnUnconfiguredRestoreJobIsRejectedRatherThanRestoredWithoutItsHooks() throws Exception {
        // Given a request of a restore job this worker has never been told about, made longer ago than the grace
        RestoreRequested request = ofJob(request("r-no-job-" + UUID.randomUUID(), "srv-target", "crm_nojob", CRM_DUMP,
                ExistingDatabasePolicy.LEAVE), "rjob-never-configured");

        // When it is asked for, Then it is REJECTED naming the job, and nothing was restored
        assertThat(ask(request)).satisfies(o -> assertRejected(o, "UNKNOWN_RESTORE_JOB", "restoreJobId"));
        assertThat(count("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'crm_nojob'")).isZero();
    }

    @Test
    void aJobNamingAScriptTheWorkerDoesNotHaveIsRejectedBeforeAnyWork() throws Exception {
        // Given a SCRIPT restore job whose script this worker (without a scripts directory) cannot run
        publish(Topics.CONFIG_RESTORE_JOBS.name(), "rjob-scripted", RestoreJobConfig.newBuilder(SampleEvents.restoreJobConfig())
                .setRestoreJobId("rjob-scripted").setName("rjob-scripted").setSourceDumpJobId("job-crm")
                .setTargetServerId("srv-target").setScriptName("load-crm.sh").setHooks(RestoreHooks.newBuilder().build())
                .build());

        // When its restore is asked for, Then it is REJECTED naming the job's field, and nothing was created
        assertThat(ask(ofJob(request("r-scripted-" + UUID.randomUUID(), "srv-target", "crm_scripted", CRM_DUMP,
                ExistingDatabasePolicy.DROP), "rjob-scripted")))
                .satisfies(o -> assertRejected(o, "UNKNOWN_SCRIPT", "scriptName"));
        assertThat(count("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'crm_scripted%'")).isZero();
    }
}
