package io.pgsnapman.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.pgtools.TableFingerprints;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.testsupport.ApiClient;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.MutableClock;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import io.pgsnapman.testsupport.TopicRecords;
import io.pgsnapman.testsupport.WithKafka;
import io.pgsnapman.testsupport.WithPostgres;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Scripts as jobs and hooks, end to end, through the REST API like an operator: a SCRIPT dump job (the partial-copy
 * example of {@code docs/examples/scripts}, exporting two tables with {@code psql \copy}) is cataloged with checksums
 * and fans out to two SCRIPT restore jobs — one whose hooks prepare and anonymise the copy, one whose post-restore hook
 * fails and leaves its target as it was. A script past its timeout is killed, an unknown script refused, and the
 * server's password appears in no script's environment, no log line and no event.
 */
@WithKafka
@WithSchemaRegistry
@WithPostgres(servers = 2)
class ScriptJobsIT {

    private static final Path EXAMPLES = Path.of("../../docs/examples/scripts");

    @Test
    void aScriptDumpIsCatalogedAndRestoredByScriptsWithHooksWhileNoPasswordLeaks(KafkaBroker broker,
            SchemaRegistryServer registry, PostgresServers servers, @TempDir Path work) throws Exception {
        // Given a shop database with customers, orders and a table the partial copy leaves out
        PostgresServer source = servers.get(0);
        PostgresServer target = servers.get(1);
        try (Connection c = source.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE shop");
        }
        try (Connection c = source.connect("shop"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, email text UNIQUE, since date)");
            st.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer int REFERENCES customers, placed timestamptz)");
            st.execute("CREATE TABLE api_keys (id int PRIMARY KEY, secret text)");
            st.execute("INSERT INTO customers SELECT g, 'customer ' || g, 'c' || g || '@shop.example', date '2020-01-01' + g % 900"
                    + " FROM generate_series(1, 3000) g");
            st.execute("INSERT INTO orders SELECT g, 1 + g % 3000, timestamptz '2026-01-01' + g * interval '1 minute'"
                    + " FROM generate_series(1, 12000) g");
            st.execute("INSERT INTO api_keys VALUES (1, 'not for test')");
        }
        // and a target database that the failing restore job must leave as it was
        try (Connection c = target.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE shop_kept");
        }
        try (Connection c = target.connect("shop_kept"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE marker (note text)");
            st.execute("INSERT INTO marker VALUES ('before')");
        }
        // and the workers' scripts directory: the documented examples and a few of this test's own
        Path scripts = Files.createDirectories(work.resolve("scripts"));
        try (Stream<Path> examples = Files.list(EXAMPLES)) {
            for (Path example : examples.toList()) {
                Files.copy(example, scripts.resolve(example.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        Path envFile = work.resolve("pre-dump-env");
        script(scripts, "record-env.sh", "env > '" + envFile + "'\n");
        script(scripts, "hang.sh", "sleep 45.25 &\nwait\n");
        script(scripts, "failing-hook.sh", "echo \"cannot mask, password=$(cut -d: -f5 \"$PGPASSFILE\")\" >&2\nexit 4\n");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:30:00Z"));
        Stack stack = new Stack(broker, registry, source, work, clock);
        stack.createDatabase("pgsnapman_config");
        stack.createDatabase("pgsnapman_catalog");
        stack.credential("source", source.password());
        stack.credential("target", target.password());
        Map<String, Object> scriptSettings = Map.of("pgsnapman.dump-worker.scripts-dir", scripts.toString(),
                "pgsnapman.dump-worker.script-timeout", "5s", "pgsnapman.dump-worker.max-concurrent-dumps", "3",
                "pgsnapman.restore-worker.scripts-dir", scripts.toString());
        try (ServiceApps.Running config = stack.configService();
                ServiceApps.Running catalog = stack.catalogService();
                ServiceApps.Running scheduler = stack.scheduler();
                ServiceApps.Running dumpWorker = stack.dumpWorker("dump-1", scriptSettings);
                ServiceApps.Running restoreWorker = stack.restoreWorker("restore-1", scriptSettings)) {
            // (every log line from here on is kept: each service's start resets the logging system)
            logs.start();
            root.addAppender(logs);
            ApiClient api = new ApiClient(config.baseUrl(), Stack.ADMIN_TOKEN);
            ApiClient catalogApi = new ApiClient(catalog.baseUrl(), Stack.ADMIN_TOKEN);
            String sourceId = server(api, "production", source, "source");
            String targetId = server(api, "test", target, "target");

            // Given a dump job whose pre-dump hook hangs and one naming a script the worker does not have, both dumped
            // first (they run beside the rest, the hanging one until its timeout)
            String hangingJob = created(api.post("/api/v1/dump-jobs", Map.of("name", "shop-hangs", "serverId", sourceId,
                    "dumpType", "FULL", "databaseName", "shop", "cron", "0 3 * * *",
                    "hooks", Map.of("preDumpScript", "hang.sh"))));
            String unknownJob = created(api.post("/api/v1/dump-jobs", Map.of("name", "shop-unknown", "serverId", sourceId,
                    "dumpType", "SCRIPT", "databaseName", "shop", "scriptName", "no-such-script.sh", "cron", "0 4 * * *")));
            dumpNow(api, hangingJob);
            dumpNow(api, unknownJob);

            // When a SCRIPT dump job with a pre-dump hook script and a post-dump SQL hook is configured
            String jobId = created(api.post("/api/v1/dump-jobs", Map.of("name", "shop-partial", "serverId", sourceId,
                    "dumpType", "SCRIPT", "databaseName", "shop", "scriptName", "copy-tables-dump.sh", "cron", "0 2 * * *",
                    "hooks", Map.of("preDumpScript", "record-env.sh",
                            "postDumpSql", "CREATE TABLE IF NOT EXISTS dump_marks (at timestamptz);"
                                    + " INSERT INTO dump_marks VALUES (now())"))));
            // and two SCRIPT restore jobs: one that prepares and anonymises its copy, one whose hook fails
            Map<String, String> restoreJobs = new LinkedHashMap<>();
            restoreJobs.put("masked", created(api.post("/api/v1/restore-jobs", Map.of("name", "shop-to-test",
                    "sourceDumpJobId", jobId, "targetServerId", targetId, "targetDatabaseName", "shop_test",
                    "scriptName", "copy-tables-restore.sh", "options", Map.of("existingDatabase", "DROP"),
                    "hooks", Map.of("preRestoreSql", "CREATE TABLE prepared (by text); INSERT INTO prepared VALUES ('pre-restore')",
                            "postRestoreScript", "mask-customers.sh")))));
            restoreJobs.put("failing", created(api.post("/api/v1/restore-jobs", Map.of("name", "shop-kept",
                    "sourceDumpJobId", jobId, "targetServerId", targetId, "targetDatabaseName", "shop_kept",
                    "scriptName", "copy-tables-restore.sh", "options", Map.of("existingDatabase", "DROP"),
                    "hooks", Map.of("postRestoreScript", "failing-hook.sh")))));
            awaitRestoreJobsSeen(scheduler, restoreJobs);
            // and it is dumped now
            String dumpId = dumpNow(api, jobId);

            // Then the script's files are the dump: SUCCEEDED, verified by checksum, cataloged as a SCRIPT dump
            DumpCompleted dump = stack.<DumpCompleted>awaitValues(Topics.DUMP_COMPLETED.name(), jobId, 1).get(0);
            assertThat(dump.getOutcome()).as(String.valueOf(dump.getFailure())).isEqualTo(Outcome.SUCCEEDED);
            assertThat(dump.getFileCount()).as("schema.sql, two CSV files, the table list").isEqualTo(4);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                JsonNode entry = catalogApi.get("/api/v1/dumps/" + dumpId).body();
                assertThat(entry.get("dumpType").asString()).as(entry.toString()).isEqualTo("SCRIPT");
                assertThat(entry.get("verification").asString()).isEqualTo("VERIFIED");
                assertThat(entry.get("manifestSha256").asString()).hasSize(64);
            });
            // and both hooks ran: the post-dump SQL in the dumped database
            assertThat(count(source, "shop", "SELECT count(*) FROM dump_marks")).isEqualTo(1);
            // and the pre-dump script saw the connection and a password file, never the password
            String env = Files.readString(envFile);
            assertThat(env).contains("PGDATABASE=shop", "PGSNAPMAN_PHASE=pre-dump", "PGSNAPMAN_DUMP_ID=" + dumpId,
                    "PGPASSFILE=").doesNotContain(source.password()).doesNotContain("PGPASSWORD");

            // and the anonymising restore job loaded both tables by its script, prepared and masked before the swap
            RestoreCompleted masked = awaitRestore(stack, restoreJobs.get("masked"), dumpId);
            assertThat(masked.getOutcome()).as(String.valueOf(masked.getFailure())).isEqualTo(Outcome.SUCCEEDED);
            assertThat(fingerprint(target, "shop_test", "orders")).isEqualTo(fingerprint(source, "shop", "orders"));
            assertThat(count(target, "shop_test", "SELECT count(*) FROM customers")).isEqualTo(3000);
            assertThat(count(target, "shop_test", "SELECT count(*) FROM customers WHERE email NOT LIKE '%@example.invalid'"))
                    .isZero();
            assertThat(count(target, "shop_test", "SELECT count(*) FROM prepared")).isEqualTo(1);
            assertThat(count(target, "shop_test", "SELECT count(*) FROM pg_tables WHERE tablename = 'api_keys'"))
                    .as("the partial copy leaves the other tables out").isZero();

            // and the restore job whose hook failed is FAILED with the hook's redacted stderr, its target untouched
            RestoreCompleted failing = awaitRestore(stack, restoreJobs.get("failing"), dumpId);
            assertThat(failing.getOutcome()).isEqualTo(Outcome.FAILED);
            assertThat(failing.getFailure().getCode()).isEqualTo("HOOK_FAILED");
            assertThat(failing.getFailure().getField()).isEqualTo("hooks.postRestoreScript");
            assertThat(failing.getFailure().getExitCode()).isEqualTo(4);
            assertThat(failing.getFailure().getStderrExcerpt()).isEqualTo("cannot mask, password=[redacted]");
            assertThat(count(target, "shop_kept", "SELECT count(*) FROM marker")).isEqualTo(1);
            assertThat(count(target, "postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE '%\\_pgsnapman\\_%'"))
                    .as("no temporary database left").isZero();

            // And the hanging dump was killed at the timeout and FAILED, and the unknown script refused
            DumpCompleted hanging = stack.<DumpCompleted>awaitValues(Topics.DUMP_COMPLETED.name(), hangingJob, 1).get(0);
            assertThat(hanging.getOutcome()).isEqualTo(Outcome.FAILED);
            assertThat(hanging.getFailure().getCode()).isEqualTo("SCRIPT_TIMEOUT");
            assertThat(hanging.getFailure().getReason()).contains("ran longer than PT5S");
            assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("sleep 45.25")))
                    .as("the hook's child is killed with it").isEmpty();
            DumpCompleted unknown = stack.<DumpCompleted>awaitValues(Topics.DUMP_COMPLETED.name(), unknownJob, 1).get(0);
            assertThat(unknown.getOutcome()).isEqualTo(Outcome.FAILED);
            assertThat(unknown.getFailure().getCode()).isEqualTo("UNKNOWN_SCRIPT");
            assertThat(unknown.getFailure().getReason()).contains("no script 'no-such-script.sh'");
            // and a path is refused by the API, naming the field
            ApiClient.Answer path = api.post("/api/v1/dump-jobs", Map.of("name", "shop-path", "serverId", sourceId,
                    "dumpType", "SCRIPT", "databaseName", "shop", "scriptName", "../../bin/sh", "cron", "0 4 * * *"));
            assertThat(path.status()).isEqualTo(400);
            assertThat(path.raw()).contains("scriptName");

            // and the scripts' progress lines became activity events, up to the last failure
            List<String> activity = TopicRecords.readUntil(broker, Topics.ACTIVITY.name(), stack.deserializer(),
                    records -> records.stream().map(r -> String.valueOf(r.value())).anyMatch(v -> v.contains("PT5S")),
                    Duration.ofSeconds(30)).stream().map(r -> String.valueOf(r.value())).toList();
            assertThat(activity).anyMatch(v -> v.contains("dump script: copied orders"))
                    .anyMatch(v -> v.contains("restore script: loaded orders"))
                    .anyMatch(v -> v.contains("post-restore script: masked the customers"));
            // and no event, and no log line, holds either server's password
            List<String> events = Stream.concat(activity.stream(), Stream.of(dump, masked, failing, hanging, unknown)
                    .map(String::valueOf)).toList();
            assertThat(events).noneMatch(v -> v.contains(source.password()) || v.contains(target.password()));
            assertThat(logs.list).as("the scripts' runs were logged").anyMatch(e -> e.getFormattedMessage()
                    .contains("running post-restore script 'failing-hook.sh'"));
            assertThat(logs.list).noneMatch(e -> Stream.of(e.getFormattedMessage(),
                            e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())
                    .anyMatch(text -> text != null && (text.contains(source.password()) || text.contains(target.password()))));
        } finally {
            root.detachAppender(logs);
        }
    }

    private static void script(Path dir, String name, String body) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/bash\nset -eu\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String server(ApiClient api, String name, PostgresServer pg, String credential) {
        return created(api.post("/api/v1/servers", Map.of("name", name, "host", pg.host(), "port", pg.port(),
                "credentialRef", credential, "sslMode", "DISABLE", "allowRestores", true, "maxConcurrentDumps", 3)));
    }

    private static String created(ApiClient.Answer answer) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
        return answer.body().get("id").asString();
    }

    private static String dumpNow(ApiClient api, String jobId) {
        ApiClient.Answer now = api.post("/api/v1/dump-jobs/" + jobId + "/dump-now", null);
        assertThat(now.status()).as(now.raw()).isEqualTo(202);
        return now.body().get("dumpId").asString();
    }

    private static RestoreCompleted awaitRestore(Stack stack, String restoreJobId, String dumpId) {
        return stack.<RestoreCompleted>awaitValues(Topics.RESTORE_COMPLETED.name(), restoreJobId + "/" + dumpId, 1).get(0);
    }

    /** The scheduler fans out only to restore jobs it holds; wait until its cache has them. */
    private static void awaitRestoreJobsSeen(ServiceApps.Running scheduler, Map<String, String> restoreJobs) {
        CompactedTopicCache<?> cache = scheduler.context().getBean("restoreJobCache", CompactedTopicCache.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> restoreJobs.values().stream().allMatch(id -> cache.get(id).isPresent()));
    }

    private static long count(PostgresServer server, String database, String sql) throws Exception {
        try (Connection c = server.connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String fingerprint(PostgresServer server, String database, String table) throws Exception {
        try (Connection c = server.connect(database)) {
            return TableFingerprints.of(c, List.of(table)).get(table);
        }
    }
}
