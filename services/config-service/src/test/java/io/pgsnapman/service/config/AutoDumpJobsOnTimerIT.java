package io.pgsnapman.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnapman.testsupport.ApiClient;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import io.pgsnapman.testsupport.WithKafka;
import io.pgsnapman.testsupport.WithPostgres;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auto dump job rule applied by config-service's own timer, not by a test calling the scanner. */
@WithKafka
@WithSchemaRegistry
@WithPostgres(servers = 1)
class AutoDumpJobsOnTimerIT {

    private static final String ADMIN = "auto-admin-token-0123456789";

    @Test
    void aDatabaseCreatedAfterTheFirstScanGetsItsJobOnTheNextTimedScanAndOnlyOne(KafkaBroker broker,
            SchemaRegistryServer registry, PostgresServers servers, @TempDir Path credentials) throws Exception {
        // Given config-service scanning every second, and a server with an auto dump job rule
        PostgresServer pg = servers.get(0);
        execute(pg, "CREATE DATABASE pgsnapman_config", "CREATE DATABASE shop");
        Files.writeString(credentials.resolve("pg1"), pg.password());
        try (ServiceApps.Running app = ServiceApps.start(ConfigServiceApplication.class, Map.ofEntries(
                Map.entry("spring.datasource.url", pg.jdbcUrl("pgsnapman_config")),
                Map.entry("spring.datasource.username", pg.superuser()),
                Map.entry("spring.datasource.password", pg.password()),
                Map.entry("spring.kafka.bootstrap-servers", broker.bootstrapServers()),
                Map.entry("spring.kafka.properties.schema.registry.url", registry.url()),
                Map.entry("pgsnapman.config-service.auth.tokens[0].name", "admin"),
                Map.entry("pgsnapman.config-service.auth.tokens[0].role", "admin"),
                Map.entry("pgsnapman.config-service.auth.tokens[0].token", ADMIN),
                Map.entry("pgsnapman.config-service.auto-dump-jobs.enabled", "true"),
                Map.entry("pgsnapman.config-service.auto-dump-jobs.interval", "1s"),
                Map.entry("pgsnapman.config-service.credentials-dir", credentials.toString())))) {
            ApiClient api = new ApiClient(app.baseUrl(), ADMIN);
            String serverId = api.post("/api/v1/servers", Map.of("name", "timed", "host", pg.host(), "port", pg.port(),
                    "credentialRef", "pg1", "sslMode", "DISABLE", "autoDumpJob", Map.of("cron", "0 2 * * *", "timeZone", "UTC",
                            "excludeDatabases", List.of("template0", "template1", "postgres", "pgsnapman_config"))))
                    .body().get("id").asString();
            await().atMost(Duration.ofSeconds(60)).until(() -> jobsFor(api, serverId).contains("shop"));

            // When a database is created after that scan, and then another one (the sentinel of later scans)
            execute(pg, "CREATE DATABASE late");
            await().atMost(Duration.ofSeconds(60)).until(() -> jobsFor(api, serverId).contains("late"));
            execute(pg, "CREATE DATABASE later");
            await().atMost(Duration.ofSeconds(60)).until(() -> jobsFor(api, serverId).contains("later"));

            // Then each database has exactly one job, although the timer scanned many times
            assertThat(jobsFor(api, serverId)).containsExactlyInAnyOrder("shop", "late", "later");
        }
    }

    private static List<String> jobsFor(ApiClient api, String serverId) {
        return api.get("/api/v1/dump-jobs").body().valueStream()
                .filter(j -> j.get("serverId").asString().equals(serverId))
                .map(j -> j.get("databaseName").asString()).toList();
    }

    private static void execute(PostgresServer pg, String... sql) throws Exception {
        try (Connection c = pg.connect("postgres"); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }
}
