package io.pgsnapman.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.activity.ActivityEvent;
import io.pgsnapman.events.activity.ActivityLevel;
import io.pgsnapman.events.catalog.CatalogEvent;
import io.pgsnapman.events.catalog.CatalogEventType;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.config.VerificationServer;
import io.pgsnapman.events.restore.RestoreOptions;
import io.pgsnapman.events.restore.RestorePurpose;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.events.restore.RestoreTrigger;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.schemas.VerifyRequests;
import io.pgsnapman.testsupport.ApiClient;
import io.pgsnapman.testsupport.FreePorts;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import io.pgsnapman.testsupport.TopicRecords;
import io.pgsnapman.testsupport.WithKafka;
import io.pgsnapman.testsupport.WithPostgres;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Verification by test restore, end to end on real parts: dump jobs whose policy asks for test restores, a
 * verification server (restores not allowed) with a disk budget and a cap of one, catalog-service planning and
 * placing the test restores, the restore-worker running them in its own consumer group. One stack for all tests;
 * each makes its own dumps.
 */
@WithKafka
@WithSchemaRegistry
@WithPostgres(servers = 2)
class VerificationIT {

    /** Fits the shop database (about 8 MB) but not the warehouse (about 35 MB). */
    private static final long DISK_BUDGET = 20_000_000;

    @TempDir
    static Path work;

    private static KafkaBroker kafka;
    private static PostgresServer verifier;
    private static PostgresServer production;
    private static Stack stack;
    private static final List<ServiceApps.Running> running = new ArrayList<>();
    private static ApiClient configApi;
    private static ApiClient catalogApi;
    private static String catalogUrl;
    private static String productionId;
    private static String verifierId;
    private static int verifierMajor;

    @BeforeAll
    static void stackWithAVerificationServer(KafkaBroker broker, SchemaRegistryServer registry, PostgresServers servers)
            throws Exception {
        kafka = broker;
        verifier = servers.get(0);
        production = servers.get(1);
        try (Connection c = production.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE shop");
            st.execute("CREATE DATABASE warehouse");
        }
        try (Connection c = production.connect("shop"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customers (id int PRIMARY KEY, email text, since timestamptz)");
            st.execute("INSERT INTO customers SELECT g, 'c' || g || '@example.com', '2026-01-01'::timestamptz + g * interval '1 h'"
                    + " FROM generate_series(1, 300) g");
            st.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer int REFERENCES customers, total numeric(10,2),"
                    + " weight float8)");
            st.execute("INSERT INTO orders SELECT g, 1 + g % 300, g * 1.5, g / 7.0 FROM generate_series(1, 5000) g");
        }
        try (Connection c = production.connect("warehouse"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE stock AS SELECT g AS id, repeat(md5(g::text), 6) AS label FROM generate_series(1, 120000) g");
        }
        verifierMajor = Stack.majorVersion(verifier);
        stack = new Stack(broker, registry, verifier, work, null);
        stack.createDatabase("pgsnapman_config");
        stack.createDatabase("pgsnapman_catalog");
        stack.credential("production", production.password());
        stack.credential("verifier", verifier.password());
        ServiceApps.Running config = start(stack.configService());
        ServiceApps.Running catalog = start(stack.catalogService(Map.of("pgsnapman.catalog.verification.dispatch-every", "1s")));
        start(stack.dumpWorker("dumper-v"));
        start(stack.restoreWorker("restorer-v", Map.of("pgsnapman.restore-worker.lease-stale-after", "5s",
                "pgsnapman.restore-worker.max-concurrent-restores", "1",
                "pgsnapman.restore-worker.max-concurrent-verifications", "1")));
        configApi = new ApiClient(config.baseUrl(), Stack.ADMIN_TOKEN);
        catalogApi = new ApiClient(catalog.baseUrl(), Stack.ADMIN_TOKEN);
        catalogUrl = catalog.baseUrl();
        productionId = created(configApi.post("/api/v1/servers", Map.of("name", "production", "host", production.host(),
                "port", production.port(), "credentialRef", "production", "sslMode", "DISABLE", "allowRestores", true)));
        verifierId = created(configApi.post("/api/v1/servers", Map.of("name", "verifier", "host", verifier.host(),
                "port", verifier.port(), "credentialRef", "verifier", "sslMode", "DISABLE", "allowDumps", false,
                "allowRestores", false, "verification", Map.of("diskBudgetBytes", DISK_BUDGET, "maxConcurrent", 1,
                        "majorVersion", verifierMajor))));
    }

    @AfterAll
    static void stopStack() {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    private static ServiceApps.Running start(ServiceApps.Running app) {
        running.add(app);
        return app;
    }

    private static String created(ApiClient.Answer answer) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
        return answer.body().get("id").asString();
    }

    private static String job(String name, String database, Map<String, Object> more) {
        Map<String, Object> spec = new java.util.HashMap<>(Map.of("name", name, "serverId", productionId, "dumpType", "FULL",
                "databaseName", database, "cron", "0 3 * * *", "state", "HALTED"));
        spec.putAll(more);
        return created(configApi.post("/api/v1/dump-jobs", spec));
    }

    /** Dumps the job now and waits until the catalog has the dump, SUCCEEDED. */
    private static String dumpNow(String jobId) {
        String dumpId = configApi.post("/api/v1/dump-jobs/" + jobId + "/dump-now", null).body().get("dumpId").asString();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300))
                .until(() -> catalogApi.get("/api/v1/dumps/" + dumpId).status() == 200);
        assertThat(catalogApi.get("/api/v1/dumps/" + dumpId).body().get("outcome").asString()).isEqualTo("SUCCEEDED");
        return dumpId;
    }

    private static List<JsonNode> verifications(String dumpId) {
        return catalogApi.get("/api/v1/verifications?dumpId=" + dumpId).body().valueStream().toList();
    }

    /** Waits until the dump has {@code count} verifications and all have ended; returns them, newest first. */
    private static List<JsonNode> awaitEnded(String dumpId, int count) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> {
            List<JsonNode> all = verifications(dumpId);
            return all.size() == count && all.stream().map(v -> v.get("state").asString())
                    .noneMatch(s -> s.equals("PLANNED") || s.equals("RUNNING"));
        });
        return verifications(dumpId);
    }

    private static List<String> scratchDatabases() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = verifier.connect("postgres"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'pgsnapman\\_verify%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static CatalogEvent catalogEvent(String dumpId, CatalogEventType type) {
        return stack.<CatalogEvent>awaitValues(Topics.CATALOG_EVENTS.name(), dumpId, 2).stream()
                .filter(e -> e.getType() == type).findFirst().orElseThrow();
    }

    @Test
    void aDumpWhosePolicyAsksForItIsVerifiedByATestRestoreAndTheScratchDatabaseIsGone() throws Exception {
        // Given a job that proves every dump by a test restore (its dumps kept as chunks, read through pipes)
        String jobId = job("shop-proven", "shop", Map.of("verification", Map.of("mode", "EVERY_DUMP")));

        // When it dumps
        String dumpId = dumpNow(jobId);

        // Then one test restore ran, on the verification server, and found every table as the dump recorded it
        JsonNode verification = awaitEnded(dumpId, 1).get(0);
        assertThat(verification.get("state").asString()).as(verification.toString()).isEqualTo("VERIFIED");
        assertThat(verification.get("requestedBy").asString()).isEqualTo("policy");
        assertThat(verification.get("serverId").asString()).isEqualTo(verifierId);
        assertThat(verification.get("serverVersion").asString()).startsWith(verifierMajor + ".");
        assertThat(verification.get("tablesChecked").asInt()).isEqualTo(2);
        assertThat(verification.get("needsBytes").asLong()).isBetween(1_000_000L, DISK_BUDGET);
        // and the catalog says so, in the dump and in a VERIFIED event naming server and version
        assertThat(catalogApi.get("/api/v1/dumps/" + dumpId).body().get("verification").asString()).isEqualTo("VERIFIED");
        CatalogEvent verified = catalogEvent(dumpId, CatalogEventType.VERIFIED);
        assertThat(verified.getTestRestore().getServerId()).isEqualTo(verifierId);
        assertThat(verified.getTestRestore().getServerVersion()).startsWith(verifierMajor + ".");
        assertThat(verified.getTestRestore().getTablesChecked()).isEqualTo(2);
        assertThat(verified.getTestRestore().getDifferences()).isEmpty();
        // and no scratch or temporary database is left on the verification server
        assertThat(scratchDatabases()).isEmpty();
    }

    @Test
    void aDumpWhoseTableDataWasChangedAfterTheDumpFailsVerificationNamingThatTable() throws Exception {
        // Given a dump kept as plain files (no test restore by policy)
        String jobId = job("shop-plain", "shop", Map.of("dedup", false, "compressionLevel", 0));
        String dumpId = dumpNow(jobId);
        assertThat(verifications(dumpId)).isEmpty();
        // and one row of the orders table altered in the dump (its total), its file's checksum recomputed
        DumpTampering.changeTableData(stack.repository(), dumpId, production.binDir(), "public", "orders",
                "1\t2\t1.50\t", "1\t2\t9.50\t");

        // When an operator asks for a test restore of it from the command line
        CliIT.Run asked = cli("catalog", "verify", dumpId);
        assertThat(asked.exit()).as(asked.err()).isZero();
        assertThat(asked.out()).containsPattern("state: +(PLANNED|RUNNING)");

        // Then it ends FAILED naming the orders table: same rows, other content
        JsonNode verification = awaitEnded(dumpId, 1).get(0);
        assertThat(verification.get("state").asString()).as(verification.toString()).isEqualTo("FAILED");
        assertThat(verification.get("requestedBy").asString()).isEqualTo("admin");
        assertThat(verification.get("reason").asString())
                .isEqualTo("1 table differs from the dump: public.orders (same 5000 rows, other content)");
        assertThat(verification.get("differences")).singleElement().satisfies(d -> {
            assertThat(d.get("tableName").asString()).isEqualTo("orders");
            assertThat(d.get("actualRows").asLong()).isEqualTo(5000);
            assertThat(d.get("actualChecksum").asString()).isNotEqualTo(d.get("expectedChecksum").asString());
        });
        // and the dump is VERIFICATION_FAILED, in the catalog and in an event naming the table
        JsonNode dump = catalogApi.get("/api/v1/dumps/" + dumpId).body();
        assertThat(dump.get("verification").asString()).isEqualTo("VERIFICATION_FAILED");
        assertThat(dump.get("verificationError").asString()).contains("public.orders");
        CatalogEvent failed = catalogEvent(dumpId, CatalogEventType.VERIFICATION_FAILED);
        assertThat(failed.getTestRestore().getDifferences()).singleElement()
                .satisfies(d -> assertThat(d.getTableName()).isEqualTo("orders"));
        // and the failure is an ERROR in the activity stream
        String verificationId = verification.get("verificationId").asString();
        List<ActivityEvent> activity = TopicRecords.readUntil(kafka, Topics.ACTIVITY.name(),
                        stack.<ActivityEvent>deserializer(), list -> list.stream().anyMatch(r -> isFailure(r.value(), verificationId)),
                        Duration.ofSeconds(60)).stream().map(r -> r.value()).filter(e -> isFailure(e, verificationId)).toList();
        assertThat(activity).singleElement().satisfies(e -> assertThat(e.getMessage()).contains("public.orders"));
        // and the history is shown under the dump
        CliIT.Run shown = cli("catalog", "show", dumpId);
        assertThat(shown.out()).containsPattern("verification: +VERIFICATION_FAILED")
                .containsPattern("FAILED .*" + verifierId + " +" + verifierMajor + "\\..* 2 +1 table differs from the dump:"
                        + " public.orders \\(same 5000 rows, other content\\)");
        // and the scratch database went with the failure
        assertThat(scratchDatabases()).isEmpty();
    }

    private static CliIT.Run cli(String... args) {
        return CliIT.execute(List.of("--catalog-url", catalogUrl, "--token", Stack.ADMIN_TOKEN), args);
    }

    private static boolean isFailure(ActivityEvent e, String verificationId) {
        return verificationId.equals(e.getSubjectId()) && e.getLevel() == ActivityLevel.ERROR
                && e.getMessage().startsWith("verification FAILED");
    }

    @Test
    void aTestRestoreThatWouldExceedTheDiskBudgetIsSkippedWithItsReason() {
        // Given a job proving every dump of a database larger than the verification server's budget
        String jobId = job("warehouse-proven", "warehouse", Map.of("verification", Map.of("mode", "EVERY_DUMP")));

        // When it dumps
        String dumpId = dumpNow(jobId);

        // Then its test restore is SKIPPED with the bytes it needs and the budget, and nothing ran
        JsonNode verification = awaitEnded(dumpId, 1).get(0);
        assertThat(verification.get("state").asString()).as(verification.toString()).isEqualTo("SKIPPED");
        assertThat(verification.get("reason").asString()).matches("needs \\d+ bytes for its scratch database; the largest"
                + " disk budget of a suitable verification server is " + DISK_BUDGET + " bytes");
        assertThat(verification.get("startedAt")).isNull();
        // and operators watching the activity stream see it, with the reason
        String skipped = "test restore " + verification.get("verificationId").asString() + " SKIPPED: needs ";
        assertThat(TopicRecords.readUntil(kafka, Topics.ACTIVITY.name(), stack.<ActivityEvent>deserializer(),
                list -> list.stream().anyMatch(r -> dumpId.equals(r.value().getSubjectId())
                        && r.value().getMessage().startsWith(skipped)), Duration.ofSeconds(60)).stream()
                .map(r -> r.value()).filter(e -> dumpId.equals(e.getSubjectId()) && e.getMessage().startsWith(skipped)))
                .singleElement().satisfies(e -> assertThat(e.getLevel()).isEqualTo(ActivityLevel.WARN));
        // and the dump keeps its checksum verification
        assertThat(catalogApi.get("/api/v1/dumps/" + dumpId).body().get("verification").asString()).isEqualTo("VERIFIED");
    }

    @Test
    void aRealRestoreRequestedWhileTestRestoresQueueStartsBeforeThem() throws Exception {
        // Given the worker's one verification slot held by a test restore whose server does not answer (it waits to
        // try again), a server that catalog-service never picks (budget of 1 byte)
        String dumpId = dumpNow(job("shop-queued", "shop", Map.of()));
        ServerConfig down = ServerConfig.newBuilder(Stack.server("srv-verifier-down", verifier, "verifier"))
                .setPort(FreePorts.find()).setAllowRestores(false).setAllowDumps(false)
                .setVerification(VerificationServer.newBuilder().setDiskBudgetBytes(1).setMaxConcurrent(1)
                        .setMajorVersion(99).build()).build();
        stack.publish(Topics.CONFIG_SERVERS.name(), down.getServerId(), down);
        String stuckId = VerifyRequests.newRequestId();
        stack.publish(Topics.RESTORE_REQUESTED.name(), down.getServerId(), RestoreRequested.newBuilder()
                .setHeader(SampleEvents.header()).setRestoreRequestId(stuckId).setDumpId(dumpId).setSourceDumpJobId(null)
                .setTargetServerId(down.getServerId()).setTargetDatabaseName(VerifyRequests.scratchDatabase(stuckId))
                .setOptions(RestoreOptions.newBuilder().build()).setTrigger(RestoreTrigger.EXTERNAL).setRestoreJobId(null)
                .setRequestedBy("test").setPurpose(RestorePurpose.VERIFY).build());
        // and two test restores of the dump queued behind it
        for (int i = 0; i < 2; i++) {
            assertThat(catalogApi.post("/api/v1/verifications", Map.of("dumpId", dumpId)).status()).isEqualTo(202);
        }
        TopicRecords.readUntil(kafka, Topics.ACTIVITY.name(), stack.<ActivityEvent>deserializer(),
                list -> list.stream().anyMatch(r -> stuckId.equals(r.value().getSubjectId())
                        && r.value().getMessage().contains("trying again")), Duration.ofSeconds(60));

        // When another system asks for a real restore of the same dump meanwhile
        RestoreRequested request = RestoreRequested.newBuilder().setHeader(SampleEvents.header())
                .setRestoreRequestId("real-" + Instant.now().toEpochMilli()).setDumpId(dumpId).setSourceDumpJobId(null)
                .setTargetServerId(productionId).setTargetDatabaseName("shop_copy")
                .setOptions(RestoreOptions.newBuilder().build()).setTrigger(RestoreTrigger.EXTERNAL).setRestoreJobId(null)
                .setRequestedBy("another system").build();
        stack.publish(Topics.RESTORE_REQUESTED.name(), productionId, request);

        // Then it is done while the test restores still wait (with one restore slot, it would wait behind them if
        // they shared the worker's consumer group)
        RestoreCompleted real = stack.<RestoreCompleted>awaitValues(Topics.RESTORE_COMPLETED.name(),
                request.getRestoreRequestId(), 1).get(0);
        assertThat(real.getOutcome()).as(String.valueOf(real.getFailure())).isEqualTo(Outcome.SUCCEEDED);
        List<JsonNode> waiting = verifications(dumpId);
        assertThat(waiting).hasSize(2).allSatisfy(v -> assertThat(v.get("state").asString()).isIn("PLANNED", "RUNNING"));
        assertThat(waiting).anySatisfy(v -> assertThat(v.get("state").asString()).isEqualTo("RUNNING"));

        // And once the stuck server answers (its address corrected), the queued test restores run, one at a time
        stack.publish(Topics.CONFIG_SERVERS.name(), down.getServerId(),
                ServerConfig.newBuilder(down).setPort(verifier.port()).setRevision(down.getRevision() + 1).build());
        RestoreCompleted stuck = stack.<RestoreCompleted>awaitValues(Topics.RESTORE_COMPLETED.name(), stuckId, 1).get(0);
        assertThat(stuck.getOutcome()).as(String.valueOf(stuck.getFailure())).isEqualTo(Outcome.SUCCEEDED);
        assertThat(stuck.getAttempts()).isEqualTo(2);
        List<JsonNode> ended = awaitEnded(dumpId, 2);
        assertThat(ended).allSatisfy(v -> assertThat(v.get("state").asString()).isEqualTo("VERIFIED"));
        for (JsonNode v : ended) {
            RestoreCompleted answer = stack.<RestoreCompleted>awaitValues(Topics.RESTORE_COMPLETED.name(),
                    v.get("verificationId").asString(), 1).get(0);
            assertThat(answer.getStartedAt()).isAfter(real.getFinishedAt());
        }
        assertThat(scratchDatabases()).isEmpty();
    }

    @Test
    void aScratchDatabaseACrashedWorkerLeftOnAVerificationServerIsSwept() throws Exception {
        // Given a scratch database marked as a test restore's whose lease nobody holds (its worker died)
        try (Connection c = verifier.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE pgsnapman_verify_orphan_pgsnapman_1");
            st.execute("COMMENT ON DATABASE pgsnapman_verify_orphan_pgsnapman_1 IS"
                    + " 'pgsnapman: restore in progress under lease restores/verify-gone'");
        }

        // Then the restore-worker's sweeper drops it, though the server allows no restores
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> scratchDatabases().isEmpty());
    }
}
