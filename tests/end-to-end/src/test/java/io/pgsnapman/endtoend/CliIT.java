package io.pgsnapman.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.cli.PgSnapManCli;
import io.pgsnapman.testsupport.FreePorts;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.MutableClock;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import io.pgsnapman.testsupport.WithKafka;
import io.pgsnapman.testsupport.WithPostgres;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code pgsnapman} CLI driven against the running services, as an operator types it: add a server and a
 * dump job, dump now with progress, the catalog as JSON, the event stream; and its exit codes.
 */
@WithKafka
@WithSchemaRegistry
@WithPostgres(servers = 2)
class CliIT {

    /** What one CLI run printed and returned. */
    record Run(int exit, String out, String err) {}

    private List<String> connection;

    private Run cli(String... args) {
        return execute(connection, args);
    }

    /** Runs the CLI in this JVM with its output captured. */
    static Run execute(List<String> connection, String... args) {
        List<String> all = new ArrayList<>(connection);
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = PgSnapManCli.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void anOperatorManagesDumpsFromTheCommandLine(KafkaBroker broker, SchemaRegistryServer registry, PostgresServers servers,
            @TempDir Path work) throws Exception {
        // Given PgSnapMan running, and a database to dump
        PostgresServer home = servers.get(0);
        PostgresServer production = servers.get(1);
        try (Connection c = production.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE shop");
        }
        try (Connection c = production.connect("shop"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE orders AS SELECT g AS id, 'order ' || g AS note FROM generate_series(1, 3000) g");
        }
        Stack stack = new Stack(broker, registry, home, work, new MutableClock(Instant.parse("2026-09-01T10:00:00Z")));
        stack.createDatabase("pgsnapman_config");
        stack.createDatabase("pgsnapman_catalog");
        stack.credential("production", production.password());
        try (ServiceApps.Running config = stack.configService();
                ServiceApps.Running catalog = stack.catalogService();
                ServiceApps.Running scheduler = stack.scheduler();
                ServiceApps.Running worker = stack.dumpWorker("cli-worker");
                ServiceApps.Running restorer = stack.restoreWorker("cli-restorer")) {
            // (Kafka and the registry named in a Kafka client properties file, as for a secured broker)
            Path kafkaConfig = Files.writeString(work.resolve("kafka-client.properties"),
                    "bootstrap.servers=" + broker.bootstrapServers() + "\nschema.registry.url=" + registry.url() + "\n");
            connection = List.of("--config-url", config.baseUrl(), "--catalog-url", catalog.baseUrl(),
                    "--token", Stack.ADMIN_TOKEN, "--kafka-config", kafkaConfig.toString());

            // When a server and a dump job are added
            Run server = cli("server", "add", "--set", "name=production", "--set", "host=" + production.host(),
                    "--set", "port=" + production.port(), "--set", "credentialRef=production", "--set", "sslMode=DISABLE",
                    "--set", "allowRestores=true");
            assertThat(server.exit()).as(server.err()).isZero();
            String serverId = server.out().strip();
            Run job = cli("dump-job", "add", "--set", "name=shop-nightly", "--set", "serverId=" + serverId,
                    "--set", "dumpType=FULL", "--set", "databaseName=shop", "--set", "cron=0 2 * * *");
            assertThat(job.exit()).as(job.err()).isZero();
            String jobId = job.out().strip();

            // Then they are listed
            Run jobs = cli("dump-job", "list");
            assertThat(jobs.out()).contains(jobId, "shop-nightly", "0 2 * * *", "ACTIVE");

            // When the job is dumped now and followed
            Run dump = cli("dump", "now", jobId, "--wait");

            // Then the wait ends with the outcome, the dump's fields are printed, and the exit code is 0
            assertThat(dump.exit()).as(dump.err()).isZero();
            assertThat(dump.err()).contains("SUCCEEDED after");
            assertThat(dump.out()).contains("outcome:", "SUCCEEDED", "verification:", "VERIFIED");

            // And when a restore job copies the job's dumps into shop_copy, and is run now and followed
            Run restoreJob = cli("restore-job", "add", "--set", "name=shop-copy", "--set", "sourceDumpJobId=" + jobId,
                    "--set", "targetServerId=" + serverId, "--set", "targetDatabaseName=shop_copy",
                    "--set", "trigger=MANUAL", "--set", "options.existingDatabase=DROP");
            assertThat(restoreJob.exit()).as(restoreJob.err()).isZero();
            Run restored = cli("restore", restoreJob.out().strip(), "--wait");

            // Then the wait ends with the outcome and exit code 0, and the copy has every row
            assertThat(restored.exit()).as(restored.err()).isZero();
            assertThat(restored.err()).contains("SUCCEEDED after");
            assertThat(restored.out()).contains("outcome:", "SUCCEEDED", "shop_copy");
            try (Connection c = production.connect("shop_copy"); Statement st = c.createStatement();
                    ResultSet rows = st.executeQuery("SELECT count(*) FROM orders")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(3000);
            }

            // And the catalog lists it as JSON
            Run listed = cli("catalog", "list", "--job", jobId, "--output", "json");
            assertThat(listed.exit()).as(listed.err()).isZero();
            JsonNode page = JsonMapper.builder().build().readTree(listed.out());
            assertThat(page.get("items").get(0).get("outcome").asString()).isEqualTo("SUCCEEDED");
            String dumpId = page.get("items").get(0).get("dumpId").asString();

            // And it can be pinned and unpinned
            assertThat(cli("catalog", "pin", dumpId).out()).containsPattern("pinned: +true");
            assertThat(cli("catalog", "unpin", dumpId).out()).containsPattern("pinned: +false");

            // And a retention dry run shows the dump staying as the one its restore job restores, and a pass expires nothing
            Run dryRun = cli("catalog", "expire", "--dry-run", "--job", jobId);
            assertThat(dryRun.exit()).as(dryRun.err()).isZero();
            assertThat(dryRun.out()).contains("job " + jobId + " (ACTIVE): 0 of 1 dumps would expire").contains(dumpId)
                    .contains("in-use");
            assertThat(cli("catalog", "expire", "--job", jobId).out()).contains("0 dumps expired");

            // And the repository's totals show the dump (kept as chunks: jobs dedup by default), a check reading every
            // chunk finds nothing wrong, and a dry-run garbage collection removes nothing
            Run stats = cli("repository", "stats");
            assertThat(stats.exit()).as(stats.err()).isZero();
            assertThat(stats.out()).containsPattern("dumps: +1").containsPattern("storedBytes: +[1-9]");
            Run verified = cli("repository", "verify", "--read-data-subset", "100");
            assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
            assertThat(verified.out()).containsPattern("1 dumps, [1-9][0-9]* chunks checked, [1-9][0-9]* read back \\(100 %\\), 0 problems");
            Run gc = cli("repository", "gc", "--dry-run");
            assertThat(gc.exit()).as(gc.err()).isZero();
            assertThat(gc.out()).containsPattern("dryRun: +true").containsPattern("removed: +0");

            // And the event stream shows the dump's start and outcome, filtered by job, its progress left out
            Run events = cli("events", "tail", "--from-beginning", "--job", jobId, "--kind", "dump,activity",
                    "--no-progress", "--for", "PT30S", "--max", "3");
            assertThat(events.exit()).as(events.err()).isZero();
            assertThat(events.out()).contains(dumpId).contains("dump started").containsPattern("dump +" + dumpId.replace("/", "\\/")
                    + " +SUCCEEDED").doesNotContainPattern("\\d+/\\d+ steps");

            // And halting the job is shown in its state
            assertThat(cli("dump-job", "halt", jobId).out()).contains("HALTED");

            // And errors have their exit codes: unknown id 3, no token 4, bad usage 2
            assertThat(cli("server", "show", "srv-nope").exit()).isEqualTo(3);
            Run anonymous = execute(List.of("--config-url", config.baseUrl(), "--config-file", "/dev/null"), "server", "list");
            assertThat(anonymous.exit()).isEqualTo(4);
            assertThat(anonymous.err()).contains("HTTP 401");
            assertThat(cli("server", "add", "--set", "nonsense").exit()).isEqualTo(2);
            // a dump that FAILED exits 1, with its reason
            String ghostJob = cli("dump-job", "add", "--set", "name=ghost", "--set", "serverId=" + serverId,
                    "--set", "dumpType=FULL", "--set", "databaseName=ghost", "--set", "cron=0 3 * * *").out().strip();
            Run failed = cli("dump", "now", ghostJob, "--wait");
            assertThat(failed.exit()).as(failed.err()).isEqualTo(1);
            assertThat(failed.out() + failed.err()).contains("FAILED").contains("ghost").contains("does not exist");
            // and the fleet's status lists the failed job first with its reason, the halted one after, and exits 1
            Run status = cli("status");
            assertThat(status.exit()).as(status.err()).isEqualTo(1);
            List<String> lines = status.out().lines().toList();
            assertThat(lines.get(0)).contains("2 dump jobs (1 FAILED, 0 LATE, 0 UNVERIFIED, 0 OK, 1 HALTED, 0 DELETED)");
            assertThat(lines.get(2)).startsWith("HEALTH").contains("VERIFIED AGE");
            assertThat(lines.get(3)).startsWith("FAILED").contains("ghost", "production", "FAILED NOT_VERIFIED")
                    .contains("does not exist");
            assertThat(lines.get(4)).startsWith("HALTED").contains("shop-nightly", "SUCCEEDED VERIFIED", "halted");
            JsonNode fleet = JsonMapper.builder().build().readTree(cli("status", "--output", "json").out());
            assertThat(fleet.get("jobs").get(0).get("dumpJobId").asString()).isEqualTo(ghostJob);
            assertThat(fleet.get("jobs").get(1).get("newestVerifiedAgeSeconds").asLong()).isNotNegative();
            assertThat(fleet.get("counts").get("FAILED").asLong()).isEqualTo(1);
            assertThat(fleet.get("jobs").get(1).get("kept").get("total").asLong()).isEqualTo(1);
            assertThat(cli("status", "--job", jobId).exit()).isZero();
            // and PgSnapMan unreachable exits 5, naming where it tried
            String nowhere = "http://127.0.0.1:" + FreePorts.find();
            Run unreachable = execute(List.of("--config-url", nowhere, "--token", Stack.ADMIN_TOKEN), "server", "list");
            assertThat(unreachable.exit()).as(unreachable.err()).isEqualTo(5);
            assertThat(unreachable.err()).contains(nowhere);
        }
    }
}
