package io.pgsnapman.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnapman.events.schedule.SchedulerProgress;
import io.pgsnapman.repository.DumpReader;
import io.pgsnapman.repository.FilesystemDumpRepository;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The newcomer's entry point: PgSnapMan configured through its REST API, a cron tick fires, the dump runs,
 * and the catalog lists it. Everything is real: a Kafka broker, the schema registry process, two PostgreSQL
 * servers (one holds the services' databases, the other is the server being dumped), and the four services.
 * Only the scheduler's clock is the test's, so the test does not wait for an hour boundary.
 */
@WithKafka
@WithSchemaRegistry
@WithPostgres(servers = 2)
class EndToEndIT {

    @Test
    void aScheduledFullDumpIsTakenVerifiedAndCataloged(KafkaBroker broker, SchemaRegistryServer registry,
            PostgresServers servers, @TempDir Path work) throws Exception {
        // Given a production-like database on one server, and PgSnapMan running beside it
        PostgresServer home = servers.get(0);
        PostgresServer production = servers.get(1);
        try (Connection c = production.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE shop");
        }
        try (Connection c = production.connect("shop"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer text, total numeric(10,2))");
            st.execute("INSERT INTO orders SELECT g, 'customer ' || (g % 100), g * 1.5 FROM generate_series(1, 5000) g");
            st.execute("ANALYZE orders");
        }
        MutableClock clock = new MutableClock(Instant.parse("2026-09-01T10:30:00Z"));
        Stack stack = new Stack(broker, registry, home, work, clock);
        stack.createDatabase("pgsnapman_config");
        stack.createDatabase("pgsnapman_catalog");
        stack.credential("production", production.password());

        try (ServiceApps.Running config = stack.configService();
                ServiceApps.Running catalog = stack.catalogService();
                ServiceApps.Running scheduler = stack.scheduler();
                ServiceApps.Running worker = stack.dumpWorker("worker-1")) {
            ApiClient configApi = new ApiClient(config.baseUrl(), Stack.ADMIN_TOKEN);  // admin may also dump now
            ApiClient catalogApi = new ApiClient(catalog.baseUrl(), Stack.ADMIN_TOKEN);

            // When a server and an hourly FULL dump job are created through the REST API
            ApiClient.Answer server = configApi.post("/api/v1/servers", Map.of("name", "production", "host",
                    production.host(), "port", production.port(), "credentialRef", "production", "sslMode", "DISABLE"));
            assertThat(server.status()).as(server.raw()).isEqualTo(201);
            ApiClient.Answer job = configApi.post("/api/v1/dump-jobs", Map.of("name", "shop-hourly", "serverId",
                    server.body().get("id").asString(), "dumpType", "FULL", "databaseName", "shop",
                    "cron", "0 * * * *", "timeZone", "Europe/Paris", "parallelJobs", 2));
            assertThat(job.status()).as(job.raw()).isEqualTo(201);
            String jobId = job.body().get("id").asString();
            // the scheduler has seen the job (it records it on its progress topic) ...
            TopicRecords.awaitKey(broker, Topics.SCHEDULER_PROGRESS.name(), stack.<SchedulerProgress>deserializer(),
                    jobId, Duration.ofSeconds(60));
            // ... and the next full hour passes
            clock.set(Instant.parse("2026-09-01T11:00:02Z"));

            // Then the catalog lists the dump SUCCEEDED, verified, with size and checksum
            String dumpId = jobId + "/20260901T110000Z";
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> catalogApi.get("/api/v1/dumps/" + dumpId).status() == 200);
            JsonNode entry = catalogApi.get("/api/v1/dumps/" + dumpId).body();
            assertThat(entry.get("outcome").asString()).as(entry.toString()).isEqualTo("SUCCEEDED");
            assertThat(entry.get("verification").asString()).isEqualTo("VERIFIED");
            assertThat(entry.get("sizeBytes").asLong()).isPositive();
            assertThat(entry.get("manifestSha256").asString()).hasSize(64);
            assertThat(entry.get("databaseName").asString()).isEqualTo("shop");
            assertThat(catalogApi.get("/api/v1/dumps?dumpJobId=" + jobId).body().get("total").asLong()).isEqualTo(1);

            // and its manifest exists, matches the catalog, the dump is kept as chunks (jobs dedup by default), and
            // pg_restore reads it rebuilt
            DumpReader reader = new FilesystemDumpRepository(stack.repository()).open(dumpId).orElseThrow();
            assertThat(reader.manifestSha256()).isEqualTo(entry.get("manifestSha256").asString());
            assertThat(reader.manifest().totalBytes()).isEqualTo(entry.get("sizeBytes").asLong());
            assertThat(reader.manifest().chunked()).isTrue();
            assertThat(reader.manifest().storedBytes()).isEqualTo(entry.get("storedBytes").asLong());
            assertThat(reader.verify()).isEmpty();
            Path rebuilt = Files.createTempDirectory("rebuilt");
            assertThat(reader.materialize(rebuilt)).isEmpty();
            Process list = new ProcessBuilder(production.binDir().resolve("pg_restore").toString(), "--list",
                    rebuilt.toString()).redirectErrorStream(true).start();
            String toc = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(list.waitFor(60, TimeUnit.SECONDS) && list.exitValue() == 0).as(toc).isTrue();
            assertThat(toc).contains("TABLE DATA public orders");

            // And a job on a database that does not exist, dumped now, is FAILED in the catalog with pg_dump's message
            String ghostJob = configApi.post("/api/v1/dump-jobs", Map.of("name", "ghost-now", "serverId",
                    server.body().get("id").asString(), "dumpType", "FULL", "databaseName", "ghost", "cron", "0 3 * * *",
                    "state", "HALTED")).body().get("id").asString();
            String ghostDump = configApi.post("/api/v1/dump-jobs/" + ghostJob + "/dump-now", null).body()
                    .get("dumpId").asString();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> catalogApi.get("/api/v1/dumps/" + ghostDump).status() == 200);
            JsonNode ghost = catalogApi.get("/api/v1/dumps/" + ghostDump).body();
            assertThat(ghost.get("outcome").asString()).isEqualTo("FAILED");
            assertThat(ghost.get("failure").get("exitCode").asInt()).isEqualTo(1);
            assertThat(ghost.get("failure").get("stderrExcerpt").asString()).contains("database \"ghost\" does not exist");
            assertThat(new FilesystemDumpRepository(stack.repository()).open(ghostDump)).isEmpty();
        }
    }
}
