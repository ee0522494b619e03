package io.pgsnapman.service.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.config.VerificationMode;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.dump.DumpTrigger;
import io.pgsnapman.events.restore.ExistingDatabasePolicy;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.events.restore.RestoreTrigger;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.registry.serde.AvroSerdeConfig;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.config.autojobs.AutoDumpJobScanner;
import io.pgsnapman.service.config.outbox.OutboxRelay;
import io.pgsnapman.service.config.outbox.OutboxWriter;
import io.pgsnapman.testsupport.ApiClient;
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
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** config-service against a real PostgreSQL (its database, and a server to scan), Kafka and the registry. */
@WithKafka
@WithSchemaRegistry
@WithPostgres(servers = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigServiceApiIT {

    static final String ADMIN = "admin-token-0123456789";
    static final String OPERATOR = "operator-token-0123456789";
    static final String VIEWER = "viewer-token-0123456789";

    private final KafkaBroker broker;
    private final SchemaRegistryServer registry;
    private final PostgresServer pg;
    private ServiceApps.Running app;
    private ApiClient admin;

    ConfigServiceApiIT(KafkaBroker broker, SchemaRegistryServer registry, PostgresServers servers) {
        this.broker = broker;
        this.registry = registry;
        this.pg = servers.get(0);
    }

    @BeforeAll
    void startService(@TempDir Path credentials) throws Exception {
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE pgsnapman_config");
            st.execute("CREATE DATABASE shop");
            st.execute("CREATE DATABASE \"Sales 2026\"");
        }
        Files.writeString(credentials.resolve("pg1"), pg.password());
        app = ServiceApps.start(ConfigServiceApplication.class, Map.ofEntries(
                Map.entry("spring.datasource.url", pg.jdbcUrl("pgsnapman_config")),
                Map.entry("spring.datasource.username", pg.superuser()),
                Map.entry("spring.datasource.password", pg.password()),
                Map.entry("spring.kafka.bootstrap-servers", broker.bootstrapServers()),
                Map.entry("spring.kafka.properties.schema.registry.url", registry.url()),
                Map.entry("pgsnapman.config-service.auth.tokens[0].name", "alice"),
                Map.entry("pgsnapman.config-service.auth.tokens[0].role", "admin"),
                Map.entry("pgsnapman.config-service.auth.tokens[0].token", ADMIN),
                Map.entry("pgsnapman.config-service.auth.tokens[1].name", "olga"),
                Map.entry("pgsnapman.config-service.auth.tokens[1].role", "operator"),
                Map.entry("pgsnapman.config-service.auth.tokens[1].token", OPERATOR),
                Map.entry("pgsnapman.config-service.auth.tokens[2].name", "victor"),
                Map.entry("pgsnapman.config-service.auth.tokens[2].role", "viewer"),
                Map.entry("pgsnapman.config-service.auth.tokens[2].token", VIEWER),
                Map.entry("pgsnapman.config-service.auto-dump-jobs.enabled", "false"),
                Map.entry("pgsnapman.config-service.credentials-dir", credentials.toString())));
        admin = new ApiClient(app.baseUrl(), ADMIN);
    }

    @AfterAll
    void stopService() {
        if (app != null) {
            app.close();
        }
    }

    private Map<String, Object> server(String name) {
        return Map.of("name", name, "host", pg.host(), "port", pg.port(), "credentialRef", "pg1",
                "sslMode", "DISABLE", "allowRestores", true);
    }

    private String createServer(String name) {
        ApiClient.Answer created = admin.post("/api/v1/servers", server(name));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.body().get("id").asString();
    }

    private <V> AvroDeserializer<V> deserializer() {
        AvroDeserializer<V> d = new AvroDeserializer<>();
        d.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url(), AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        return d;
    }

    @Test
    void aServerAndAJobAreStoredAndPublishedToTheCompactedTopics() {
        // Given a server created through the API
        String serverId = createServer("orders-primary");

        // When a FULL dump job is added on it
        ApiClient.Answer job = admin.post("/api/v1/dump-jobs", Map.of("name", "orders-nightly", "serverId", serverId,
                "dumpType", "FULL", "databaseName", "shop", "cron", "30 1 * * *", "timeZone", "Europe/Berlin",
                "parallelJobs", 2));

        // Then both are readable with their defaults, and both reached their topics keyed by id
        assertThat(job.status()).as(job.raw()).isEqualTo(201);
        String jobId = job.body().get("id").asString();
        JsonNode shown = admin.get("/api/v1/dump-jobs/" + jobId).body();
        assertThat(shown.get("state").asString()).isEqualTo("ACTIVE");
        assertThat(shown.get("retention").get("keepDaily").asInt()).isEqualTo(7);
        assertThat(shown.get("revision").asLong()).isEqualTo(1);
        ConsumerRecord<String, ServerConfig> serverEvent = TopicRecords.awaitKey(
                broker, Topics.CONFIG_SERVERS.name(), this.<ServerConfig>deserializer(), serverId, Duration.ofSeconds(30));
        assertThat(serverEvent.value().getName()).isEqualTo("orders-primary");
        assertThat(serverEvent.value().getCredentialRef()).isEqualTo("pg1");
        assertThat(serverEvent.value().getAllowRestores()).isTrue();
        ConsumerRecord<String, DumpJobConfig> jobEvent = TopicRecords.awaitKey(
                broker, Topics.CONFIG_DUMP_JOBS.name(), this.<DumpJobConfig>deserializer(), jobId, Duration.ofSeconds(30));
        assertThat(jobEvent.value().getSpec().getDatabaseName()).isEqualTo("shop");
        assertThat(jobEvent.value().getSpec().getParallelJobs()).isEqualTo(2);
        assertThat(jobEvent.value().getTimeZone()).isEqualTo("Europe/Berlin");
    }

    @Test
    void badInputIsRefusedWithEveryFieldAndItsReason() {
        // Given a dump job request with a bad name, an unknown server, a 6-field cron, a bad zone and no database
        ApiClient.Answer answer = admin.post("/api/v1/dump-jobs", Map.of("name", "Bad Name!", "serverId", "srv-nope",
                "dumpType", "FULL", "cron", "0 0 1 * * *", "timeZone", "Mars/Base", "parallelJobs", 0));

        // Then it is 400 naming each offending field
        assertThat(answer.status()).isEqualTo(400);
        List<String> fields = answer.body().get("errors").valueStream().map(e -> e.get("field").asString()).toList();
        assertThat(fields).contains("name", "parallelJobs");

        // And once single fields are fine, the cross-field rules name theirs (a pg_dump compression level with dedup too)
        ApiClient.Answer second = admin.post("/api/v1/dump-jobs", Map.of("name", "ok-name", "serverId", "srv-nope",
                "dumpType", "FULL", "cron", "0 0 1 * * *", "timeZone", "Mars/Base", "compressionLevel", 6));
        assertThat(second.status()).isEqualTo(400);
        assertThat(second.body().get("errors").valueStream().map(e -> e.get("field").asString() + ": " + e.get("reason").asString()))
                .anyMatch(s -> s.startsWith("serverId: no server with id 'srv-nope'"))
                .anyMatch(s -> s.startsWith("databaseName: required for dump type FULL"))
                .anyMatch(s -> s.startsWith("cron:") && s.contains("expected 5"))
                .anyMatch(s -> s.startsWith("timeZone:") && s.contains("Mars/Base"))
                .anyMatch(s -> s.startsWith("compressionLevel: not used with dedup")); // dedup is on by default

        // And an enum value that does not exist names the field and the allowed values
        ApiClient.Answer third = admin.post("/api/v1/servers", Map.of("name", "x1", "host", "h", "sslMode", "SOMETIMES"));
        assertThat(third.status()).isEqualTo(400);
        assertThat(third.body().get("errors").get(0).get("field").asString()).isEqualTo("sslMode");
        assertThat(third.body().get("errors").get(0).get("reason").asString()).contains("VERIFY_FULL");
    }

    @Test
    void aVerificationServerAndAJobsTestRestorePolicyArePublishedWithTheirDefaultsAndChecked() {
        // Given a verification server (restores not allowed) and a job asking for a test restore of every third dump
        Map<String, Object> verifier = new java.util.HashMap<>(server("verify-15"));
        verifier.put("allowRestores", false);
        verifier.put("verification", Map.of("diskBudgetBytes", 50_000_000_000L, "majorVersion", 15));
        ApiClient.Answer created = admin.post("/api/v1/servers", verifier);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String serverId = created.body().get("id").asString();
        ApiClient.Answer job = admin.post("/api/v1/dump-jobs", Map.of("name", "orders-proven", "serverId", serverId,
                "dumpType", "FULL", "databaseName", "shop", "cron", "30 1 * * *",
                "verification", Map.of("mode", "EVERY_NTH", "everyNth", 3)));
        assertThat(job.status()).as(job.raw()).isEqualTo(201);
        String jobId = job.body().get("id").asString();

        // Then both events carry them, with the defaults filled in
        ServerConfig server = TopicRecords.awaitKey(broker, Topics.CONFIG_SERVERS.name(), this.<ServerConfig>deserializer(),
                serverId, Duration.ofSeconds(30)).value();
        assertThat(server.getVerification().getDiskBudgetBytes()).isEqualTo(50_000_000_000L);
        assertThat(server.getVerification().getMaxConcurrent()).isEqualTo(1);
        assertThat(server.getVerification().getMajorVersion()).isEqualTo(15);
        DumpJobConfig jobEvent = TopicRecords.awaitKey(broker, Topics.CONFIG_DUMP_JOBS.name(),
                this.<DumpJobConfig>deserializer(), jobId, Duration.ofSeconds(30)).value();
        assertThat(jobEvent.getVerification().getMode()).isEqualTo(VerificationMode.EVERY_NTH);
        assertThat(jobEvent.getVerification().getEveryNth()).isEqualTo(3);
        assertThat(admin.get("/api/v1/dump-jobs/" + jobId).body().get("verification").get("percent").asInt()).isEqualTo(100);

        // And a test-restore policy on unverified dumps, a share over 100 and a server without budget are refused by field
        ApiClient.Answer unverified = admin.post("/api/v1/dump-jobs", Map.of("name", "orders-unproven", "serverId", serverId,
                "dumpType", "FULL", "databaseName", "shop", "cron", "30 1 * * *", "verify", false,
                "verification", Map.of("mode", "EVERY_DUMP")));
        assertThat(unverified.status()).isEqualTo(400);
        assertThat(unverified.body().get("errors").get(0).get("field").asString()).isEqualTo("verification.mode");
        ApiClient.Answer tooMuch = admin.post("/api/v1/dump-jobs", Map.of("name", "orders-much", "serverId", serverId,
                "dumpType", "FULL", "databaseName", "shop", "cron", "30 1 * * *",
                "verification", Map.of("mode", "PERCENTAGE", "percent", 101)));
        assertThat(tooMuch.status()).isEqualTo(400);
        assertThat(tooMuch.body().get("errors").get(0).get("field").asString()).isEqualTo("verification.percent");
        Map<String, Object> noBudget = new java.util.HashMap<>(server("verify-x"));
        noBudget.put("verification", Map.of("majorVersion", 15));
        ApiClient.Answer refused = admin.post("/api/v1/servers", noBudget);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("errors").get(0).get("field").asString()).isEqualTo("verification.diskBudgetBytes");
    }

    @Test
    void duplicateNamesAreRefused() {
        createServer("dup-server");

        ApiClient.Answer again = admin.post("/api/v1/servers", server("dup-server"));

        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body().get("errors").get(0).get("field").asString()).isEqualTo("name");
    }

    @Test
    void tokensAndRolesGuardTheApi() {
        String serverId = createServer("guarded");
        ApiClient anonymous = admin.as(null);
        ApiClient viewer = admin.as(VIEWER);
        ApiClient operator = admin.as(OPERATOR);

        assertThat(anonymous.get("/api/v1/servers").status()).isEqualTo(401);
        assertThat(admin.as("not-a-real-token-at-all").get("/api/v1/servers").status()).isEqualTo(401);
        assertThat(viewer.get("/api/v1/servers").status()).isEqualTo(200);
        assertThat(viewer.post("/api/v1/servers", server("by-viewer")).status()).isEqualTo(403);
        assertThat(viewer.delete("/api/v1/servers/" + serverId).status()).isEqualTo(403);
        assertThat(operator.put("/api/v1/servers/" + serverId, server("guarded")).status()).isEqualTo(403);
        assertThat(ServiceEndpoints.probeProblems(app.port())).isEmpty();
        assertThat(anonymous.get("/v3/api-docs").body().get("paths").has("/api/v1/dump-jobs/{id}/dump-now")).isTrue();
    }

    @Test
    void dumpNowQueuesAnAdHocTickForTheJobsServer() {
        // Given a halted job
        String serverId = createServer("adhoc-server");
        String jobId = admin.post("/api/v1/dump-jobs", Map.of("name", "adhoc-job", "serverId", serverId,
                "dumpType", "SCHEMA_ONLY", "databaseName", "shop", "cron", "0 3 * * *", "state", "HALTED"))
                .body().get("id").asString();

        // When an operator asks for a dump now
        ApiClient.Answer answer = admin.as(OPERATOR).post("/api/v1/dump-jobs/" + jobId + "/dump-now?pin=true", null);

        // Then a DumpRequested for that server, ad hoc, pinned, with the job's spec, is on the ticks topic
        assertThat(answer.status()).as(answer.raw()).isEqualTo(202);
        String dumpId = answer.body().get("dumpId").asString();
        assertThat(dumpId).startsWith(jobId + "/adhoc-");
        ConsumerRecord<String, DumpRequested> tick = TopicRecords.readUntil(broker, Topics.SCHEDULE_TICKS.name(),
                this.<DumpRequested>deserializer(),
                list -> list.stream().anyMatch(r -> r.value().getDumpId().equals(dumpId)), Duration.ofSeconds(30))
                .stream().filter(r -> r.value().getDumpId().equals(dumpId)).findFirst().orElseThrow();
        assertThat(tick.key()).isEqualTo(serverId);
        assertThat(tick.value().getTrigger()).isEqualTo(DumpTrigger.AD_HOC);
        assertThat(tick.value().getPin()).isTrue();
        assertThat(tick.value().getRequestedBy()).isEqualTo("olga");
        assertThat(tick.value().getSpec().getDumpType().name()).isEqualTo("SCHEMA_ONLY");
    }

    @Test
    void aRestoreJobsPostRestoreHookIsPublishedWithTheJobAndRefusedWhereItCouldNotRunBeforeTheSwap() {
        // Given a server that allows restores and a dump job
        String serverId = createServer("hooked-target");
        String jobId = admin.post("/api/v1/dump-jobs", Map.of("name", "hooked-source", "serverId", serverId,
                "dumpType", "FULL", "databaseName", "crm", "cron", "0 3 * * *")).body().get("id").asString();
        String masking = "UPDATE customers SET email = 'masked-' || id || '@example.invalid'";

        // When a restore job with a post-restore hook is created
        ApiClient.Answer created = admin.post("/api/v1/restore-jobs", Map.of("name", "crm-masked", "sourceDumpJobId", jobId,
                "targetServerId", serverId, "targetDatabaseName", "crm_test", "options", Map.of("existingDatabase", "DROP"),
                "hooks", Map.of("postRestoreSql", masking)));

        // Then it is stored and published with the job, where the restore-worker looks it up
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String restoreJobId = created.body().get("id").asString();
        assertThat(created.body().get("hooks").get("postRestoreSql").asString()).isEqualTo(masking);
        ConsumerRecord<String, RestoreJobConfig> event = TopicRecords.awaitKey(broker, Topics.CONFIG_RESTORE_JOBS.name(),
                this.<RestoreJobConfig>deserializer(), restoreJobId, Duration.ofSeconds(30));
        assertThat(event.value().getHooks().getPostRestoreSql()).isEqualTo(masking);

        // And a hook with TRUNCATE or DROP_BEFORE, which fill the target itself, is refused naming the field and why
        for (String policy : List.of("TRUNCATE", "DROP_BEFORE")) {
            ApiClient.Answer direct = admin.post("/api/v1/restore-jobs", Map.of("name", "crm-direct", "sourceDumpJobId",
                    jobId, "targetServerId", serverId, "targetDatabaseName", "crm_t", "options", Map.of("existingDatabase", policy),
                    "hooks", Map.of("postRestoreSql", masking)));
            assertThat(direct.status()).as(policy).isEqualTo(400);
            assertThat(direct.body().get("errors").get(0).get("field").asString()).isEqualTo("hooks.postRestoreSql");
            assertThat(direct.body().get("errors").get(0).get("reason").asString()).contains(policy);
        }
        // and an empty hook is refused as well
        assertThat(admin.post("/api/v1/restore-jobs", Map.of("name", "crm-empty", "sourceDumpJobId", jobId, "targetServerId",
                serverId, "targetDatabaseName", "crm_e", "hooks", Map.of("postRestoreSql", ""))).status()).isEqualTo(400);
    }

    @Test
    void scriptJobsAndDumpHooksArePublishedAndRefusedWhereTheyCouldNotRun() {
        // Given a server that allows restores
        String serverId = createServer("scripted");

        // When a SCRIPT dump job with hooks is created
        ApiClient.Answer created = admin.post("/api/v1/dump-jobs", Map.of("name", "crm-partial", "serverId", serverId,
                "dumpType", "SCRIPT", "databaseName", "crm", "scriptName", "copy-tables-dump.sh", "cron", "0 3 * * *",
                "hooks", Map.of("preDumpScript", "pause-etl.sh", "postDumpSql", "NOTIFY dumped")));

        // Then the script and hooks travel in its spec, which the scheduler copies into every tick
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String jobId = created.body().get("id").asString();
        ConsumerRecord<String, DumpJobConfig> event = TopicRecords.awaitKey(broker, Topics.CONFIG_DUMP_JOBS.name(),
                this.<DumpJobConfig>deserializer(), jobId, Duration.ofSeconds(30));
        assertThat(event.value().getSpec().getScriptName()).isEqualTo("copy-tables-dump.sh");
        assertThat(event.value().getSpec().getHooks().getPreDumpScript()).isEqualTo("pause-etl.sh");
        assertThat(event.value().getSpec().getHooks().getPostDumpSql()).isEqualTo("NOTIFY dumped");

        // And a restore job of it without a script, or with TRUNCATE, is refused naming the field
        ApiClient.Answer noScript = admin.post("/api/v1/restore-jobs", Map.of("name", "crm-partial-copy", "sourceDumpJobId",
                jobId, "targetServerId", serverId, "targetDatabaseName", "crm_copy"));
        assertThat(noScript.status()).isEqualTo(400);
        assertThat(fields(noScript)).containsExactly("scriptName");
        ApiClient.Answer truncating = admin.post("/api/v1/restore-jobs", Map.of("name", "crm-partial-t", "sourceDumpJobId",
                jobId, "targetServerId", serverId, "targetDatabaseName", "crm_copy", "scriptName", "copy-tables-restore.sh",
                "options", Map.of("existingDatabase", "TRUNCATE")));
        assertThat(fields(truncating)).containsExactly("scriptName");
        // and one with its script and a pre-restore script is published with both
        ApiClient.Answer restoreJob = admin.post("/api/v1/restore-jobs", Map.of("name", "crm-partial-ok", "sourceDumpJobId",
                jobId, "targetServerId", serverId, "targetDatabaseName", "crm_copy", "scriptName", "copy-tables-restore.sh",
                "hooks", Map.of("preRestoreScript", "prepare.sh")));
        assertThat(restoreJob.status()).as(restoreJob.raw()).isEqualTo(201);
        RestoreJobConfig restoreEvent = TopicRecords.awaitKey(broker, Topics.CONFIG_RESTORE_JOBS.name(),
                this.<RestoreJobConfig>deserializer(), restoreJob.body().get("id").asString(), Duration.ofSeconds(30)).value();
        assertThat(restoreEvent.getScriptName()).isEqualTo("copy-tables-restore.sh");
        assertThat(restoreEvent.getHooks().getPreRestoreScript()).isEqualTo("prepare.sh");

        // And a SCRIPT job without its script, with pg_dump's settings, or a hook both SQL and script, is refused
        ApiClient.Answer bad = admin.post("/api/v1/dump-jobs", Map.of("name", "crm-bad", "serverId", serverId,
                "dumpType", "SCRIPT", "databaseName", "crm", "schemaName", "sales", "cron", "0 3 * * *",
                "hooks", Map.of("postDumpSql", "SELECT 1", "postDumpScript", "x.sh")));
        assertThat(fields(bad)).containsExactlyInAnyOrder("scriptName", "schemaName", "hooks.postDumpScript");
        // and a script name that is a path or a command line never gets past validation
        for (String name : List.of("../bin/sh", "/bin/sh", "x.sh; rm -rf /", ".hidden")) {
            ApiClient.Answer path = admin.post("/api/v1/dump-jobs", Map.of("name", "crm-path", "serverId", serverId,
                    "dumpType", "SCRIPT", "databaseName", "crm", "scriptName", name, "cron", "0 3 * * *"));
            assertThat(fields(path)).as(name).containsExactly("scriptName");
        }
        // and a FULL job naming a script is refused too
        assertThat(fields(admin.post("/api/v1/dump-jobs", Map.of("name", "crm-full", "serverId", serverId,
                "dumpType", "FULL", "databaseName", "crm", "scriptName", "x.sh", "cron", "0 3 * * *"))))
                .containsExactly("scriptName");
    }

    private static List<String> fields(ApiClient.Answer answer) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        answer.body().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }

    @Test
    void restoreNowQueuesAnAdHocRequestForTheJobsTarget() {
        // Given a restore job onto a server that allows restores
        String serverId = createServer("restore-target");
        String jobId = admin.post("/api/v1/dump-jobs", Map.of("name", "restore-source", "serverId", serverId,
                "dumpType", "FULL", "databaseName", "shop", "cron", "0 3 * * *")).body().get("id").asString();
        ApiClient.Answer restoreJob = admin.post("/api/v1/restore-jobs", Map.of("name", "shop-to-test", "sourceDumpJobId",
                jobId, "targetServerId", serverId, "targetDatabaseName", "shop_test", "trigger", "MANUAL",
                "options", Map.of("existingDatabase", "DROP")));
        assertThat(restoreJob.status()).as(restoreJob.raw()).isEqualTo(201);
        String restoreJobId = restoreJob.body().get("id").asString();

        // When a viewer and then an operator ask for a restore now
        assertThat(admin.as(VIEWER).post("/api/v1/restore-jobs/" + restoreJobId + "/restore-now", null).status()).isEqualTo(403);
        ApiClient.Answer answer = admin.as(OPERATOR).post("/api/v1/restore-jobs/" + restoreJobId + "/restore-now", null);

        // Then an ad-hoc request for the job's latest source dump, with its options, is on the topic
        assertThat(answer.status()).as(answer.raw()).isEqualTo(202);
        String requestId = answer.body().get("restoreRequestId").asString();
        ConsumerRecord<String, RestoreRequested> request = TopicRecords.readUntil(broker, Topics.RESTORE_REQUESTED.name(),
                        this.<RestoreRequested>deserializer(),
                        list -> list.stream().anyMatch(r -> r.value().getRestoreRequestId().equals(requestId)), Duration.ofSeconds(30))
                .stream().filter(r -> r.value().getRestoreRequestId().equals(requestId)).findFirst().orElseThrow();
        assertThat(request.key()).isEqualTo(serverId);
        assertThat(request.value().getSourceDumpJobId()).isEqualTo(jobId);
        assertThat(request.value().getDumpId()).isNull();
        assertThat(request.value().getTrigger()).isEqualTo(RestoreTrigger.AD_HOC);
        assertThat(request.value().getOptions().getExistingDatabase()).isEqualTo(ExistingDatabasePolicy.DROP);
        assertThat(request.value().getRequestedBy()).isEqualTo("olga");
    }

    @Test
    void deletingAServerPublishesATombstoneAndAServerInUseCannotBeDeleted() {
        String unused = createServer("short-lived");
        String used = createServer("in-use");
        admin.post("/api/v1/dump-jobs", Map.of("name", "uses-server", "serverId", used, "dumpType", "GLOBALS",
                "cron", "0 4 * * *"));

        assertThat(admin.delete("/api/v1/servers/" + used).status()).isEqualTo(409);
        assertThat(admin.delete("/api/v1/servers/" + unused).status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/servers/" + unused).status()).isEqualTo(404);
        TopicRecords.readUntil(broker, Topics.CONFIG_SERVERS.name(), this.<ServerConfig>deserializer(),
                list -> list.stream().anyMatch(r -> r.key().equals(unused) && r.value() == null), Duration.ofSeconds(30));
    }

    @Test
    void aRolledBackChangeIsNeverPublished() {
        // Given a change written to the outbox in a transaction that rolls back, then one that commits
        TransactionTemplate tx = app.bean(TransactionTemplate.class);
        OutboxWriter outbox = app.bean(OutboxWriter.class);
        tx.executeWithoutResult(status -> {
            outbox.append(Topics.CONFIG_SERVERS, "rolled-back", SampleEvents.serverConfig());
            status.setRollbackOnly();
        });
        tx.executeWithoutResult(status -> outbox.append(Topics.CONFIG_SERVERS, "committed", SampleEvents.serverConfig()));

        // When the relay has published the committed one
        app.bean(OutboxRelay.class).relayAll(100);
        List<ConsumerRecord<String, ServerConfig>> records = TopicRecords.readUntil(broker, Topics.CONFIG_SERVERS.name(),
                this.<ServerConfig>deserializer(), list -> list.stream().anyMatch(r -> r.key().equals("committed")),
                Duration.ofSeconds(30));

        // Then the rolled-back one is not on the topic, and the outbox is empty
        assertThat(records).noneMatch(r -> r.key().equals("rolled-back"));
        assertThat(app.bean(JdbcClient.class).sql("SELECT count(*) FROM outbox").query(Long.class).single()).isZero();
    }

    @Test
    void autoDumpJobRuleCreatesHaltedJobsForNewDatabasesOnce() {
        // Given a server with an auto dump job rule that excludes the configuration database
        Map<String, Object> spec = new HashMap<>(server("auto-scanned"));
        spec.put("autoDumpJob", Map.of("cron", "0 2 * * *", "timeZone", "UTC",
                "excludeDatabases", List.of("template0", "template1", "postgres", "pgsnapman_config")));
        String serverId = admin.post("/api/v1/servers", spec).body().get("id").asString();

        // When the scanner runs twice
        int first = app.bean(AutoDumpJobScanner.class).scan();
        int second = app.bean(AutoDumpJobScanner.class).scan();

        // Then the two user databases got one HALTED FULL job each, and the second scan added none
        List<JsonNode> jobs = admin.get("/api/v1/dump-jobs").body().valueStream()
                .filter(j -> j.get("serverId").asString().equals(serverId)).toList();
        assertThat(jobs).extracting(j -> j.get("databaseName").asString()).containsExactlyInAnyOrder("shop", "Sales 2026");
        assertThat(jobs).allMatch(j -> j.get("state").asString().equals("HALTED") && j.get("dumpType").asString().equals("FULL"));
        assertThat(first).isEqualTo(2);
        assertThat(second).isZero();
    }
}
