package io.pgsnapman.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.restore.RestoreTrigger;
import io.pgsnapman.pgtools.TableFingerprints;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.testsupport.ApiClient;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.MutableClock;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import io.pgsnapman.testsupport.WithKafka;
import io.pgsnapman.testsupport.WithPostgres;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * One dump fans out to two PostgreSQL servers: configured through the REST API like an operator would, the
 * dump taken by the dump-worker, turned into two restore requests by the scheduler, restored at the same
 * time by the restore-worker, and recorded by the catalog. The copies are compared with the source table by
 * table: row count and a checksum of the content.
 */
@WithKafka
@WithSchemaRegistry
@WithPostgres(servers = 3)
class FanOutIT {

    private static final List<String> TABLES = List.of("customers", "orders", "order_lines");

    @Test
    void oneDumpIsRestoredToTwoServersAtOnceWithIdenticalContent(KafkaBroker broker, SchemaRegistryServer registry,
            PostgresServers servers, @TempDir Path work) throws Exception {
        // Given a source database (on the server that also holds PgSnapMan's own databases) and two targets
        PostgresServer source = servers.get(0);
        PostgresServer testServer = servers.get(1);
        PostgresServer devServer = servers.get(2);
        try (Connection c = source.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE shop");
        }
        try (Connection c = source.connect("shop"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customers (id int PRIMARY KEY, name text, since date)");
            st.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer int REFERENCES customers, placed timestamptz)");
            st.execute("CREATE TABLE order_lines (order_id bigint REFERENCES orders, line int, sku text, qty int,"
                    + " price numeric(10,2), PRIMARY KEY (order_id, line))");
            st.execute("INSERT INTO customers SELECT g, 'customer ' || g, date '2020-01-01' + g % 1500"
                    + " FROM generate_series(1, 2000) g");
            st.execute("INSERT INTO orders SELECT g, 1 + g % 2000, timestamptz '2026-01-01' + g * interval '1 minute'"
                    + " FROM generate_series(1, 10000) g");
            st.execute("INSERT INTO order_lines SELECT o, l, 'SKU-' || (o * l) % 997, 1 + l, (o % 50) + l * 0.25"
                    + " FROM generate_series(1, 10000) o, generate_series(1, 3) l");
        }
        MutableClock clock = new MutableClock(Instant.parse("2026-09-01T10:30:00Z"));
        Stack stack = new Stack(broker, registry, source, work, clock);
        stack.createDatabase("pgsnapman_config");
        stack.createDatabase("pgsnapman_catalog");
        stack.credential("source", source.password());
        stack.credential("test", testServer.password());
        stack.credential("dev", devServer.password());

        try (ServiceApps.Running config = stack.configService();
                ServiceApps.Running catalog = stack.catalogService();
                ServiceApps.Running scheduler = stack.scheduler();
                ServiceApps.Running dumpWorker = stack.dumpWorker("dump-1");
                ServiceApps.Running restoreWorker = stack.restoreWorker("restore-1")) {
            ApiClient api = new ApiClient(config.baseUrl(), Stack.ADMIN_TOKEN);
            ApiClient catalogApi = new ApiClient(catalog.baseUrl(), Stack.ADMIN_TOKEN);
            String sourceId = createServer(api, "production", source, "source");
            String testId = createServer(api, "test", testServer, "test");
            String devId = createServer(api, "dev", devServer, "dev");
            ApiClient.Answer job = api.post("/api/v1/dump-jobs", Map.of("name", "shop-nightly", "serverId", sourceId,
                    "dumpType", "FULL", "databaseName", "shop", "cron", "0 2 * * *", "parallelJobs", 2));
            assertThat(job.status()).as(job.raw()).isEqualTo(201);
            String jobId = job.body().get("id").asString();
            // and two restore jobs that copy every dump of the job, one per target
            Map<String, String> restoreJobs = new LinkedHashMap<>();
            for (Map.Entry<String, String> target : Map.of("test", testId, "dev", devId).entrySet()) {
                ApiClient.Answer restoreJob = api.post("/api/v1/restore-jobs", Map.of("name", "shop-to-" + target.getKey(),
                        "sourceDumpJobId", jobId, "targetServerId", target.getValue(), "targetDatabaseName", "shop_copy",
                        "trigger", "ON_DUMP", "options", Map.of("existingDatabase", "DROP", "parallelJobs", 2)));
                assertThat(restoreJob.status()).as(restoreJob.raw()).isEqualTo(201);
                restoreJobs.put(target.getKey(), restoreJob.body().get("id").asString());
            }
            awaitRestoreJobsSeen(scheduler, restoreJobs);

            // When the job is dumped now
            ApiClient.Answer now = api.post("/api/v1/dump-jobs/" + jobId + "/dump-now", null);
            assertThat(now.status()).as(now.raw()).isEqualTo(202);
            String dumpId = now.body().get("dumpId").asString();

            // Then each restore job restored that dump, SUCCEEDED, with every row count checked
            RestoreCompleted toTest = stack.<RestoreCompleted>awaitValues(Topics.RESTORE_COMPLETED.name(),
                    restoreJobs.get("test") + "/" + dumpId, 1).get(0);
            RestoreCompleted toDev = stack.<RestoreCompleted>awaitValues(Topics.RESTORE_COMPLETED.name(),
                    restoreJobs.get("dev") + "/" + dumpId, 1).get(0);
            for (RestoreCompleted restore : List.of(toTest, toDev)) {
                assertThat(restore.getOutcome()).as(String.valueOf(restore.getFailure())).isEqualTo(Outcome.SUCCEEDED);
                assertThat(restore.getTrigger()).isEqualTo(RestoreTrigger.FAN_OUT);
                assertThat(restore.getDumpId()).isEqualTo(dumpId);
                assertThat(restore.getRowCountsMatch()).isTrue();
                assertThat(restore.getRowChecks()).hasSize(TABLES.size());
            }
            // and the two restores ran at the same time
            assertThat(toTest.getStartedAt()).isBefore(toDev.getFinishedAt());
            assertThat(toDev.getStartedAt()).isBefore(toTest.getFinishedAt());
            // and every table has the source's rows and content on both targets
            Map<String, String> expected = fingerprints(source, "shop");
            assertThat(expected.get("order_lines")).startsWith("30000 ");
            assertThat(fingerprints(testServer, "shop_copy")).isEqualTo(expected);
            assertThat(fingerprints(devServer, "shop_copy")).isEqualTo(expected);
            // and the catalog records both restores with their target
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                JsonNode restores = catalogApi.get("/api/v1/restores?dumpId=" + dumpId).body();
                assertThat(restores.get("total").asLong()).as(restores.toString()).isEqualTo(2);
            });
        }
    }

    private static String createServer(ApiClient api, String name, PostgresServer pg, String credential) {
        ApiClient.Answer answer = api.post("/api/v1/servers", Map.of("name", name, "host", pg.host(), "port", pg.port(),
                "credentialRef", credential, "sslMode", "DISABLE", "allowRestores", true));
        assertThat(answer.status()).as(answer.raw()).isEqualTo(201);
        return answer.body().get("id").asString();
    }

    /** The scheduler fans out only to restore jobs it holds; wait until its cache has both. */
    private static void awaitRestoreJobsSeen(ServiceApps.Running scheduler, Map<String, String> restoreJobs) {
        CompactedTopicCache<?> cache = scheduler.context().getBean("restoreJobCache", CompactedTopicCache.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> restoreJobs.values().stream().allMatch(id -> cache.get(id).isPresent()));
    }

    private static Map<String, String> fingerprints(PostgresServer server, String database) throws Exception {
        try (Connection c = server.connect(database)) {
            return TableFingerprints.of(c, TABLES);
        }
    }
}
