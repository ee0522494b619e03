package io.pgsnapman.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.schedule.SchedulerProgress;
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
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Scheduled dumps go on while config-service is down, and a catalog-service that was down catches up with
 * every outcome from Kafka.
 */
@WithKafka
@WithSchemaRegistry
@WithPostgres(servers = 2)
class ResilienceIT {

    @Test
    void dumpsRunWithoutConfigServiceAndTheCatalogCatchesUpAfterItsDowntime(KafkaBroker broker,
            SchemaRegistryServer registry, PostgresServers servers, @TempDir Path work) throws Exception {
        PostgresServer home = servers.get(0);
        PostgresServer production = servers.get(1);
        try (Connection c = production.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE crm");
        }
        try (Connection c = production.connect("crm"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE contacts AS SELECT g AS id, md5(g::text) AS email FROM generate_series(1, 2000) g");
        }
        MutableClock clock = new MutableClock(Instant.parse("2026-10-01T10:30:00Z"));
        Stack stack = new Stack(broker, registry, home, work, clock);
        stack.createDatabase("pgsnapman_config");
        stack.createDatabase("pgsnapman_catalog");
        stack.credential("crm", production.password());

        // Given the configuration was published by config-service, which is then stopped
        String jobId;
        try (ServiceApps.Running config = stack.configService()) {
            ApiClient api = new ApiClient(config.baseUrl(), Stack.ADMIN_TOKEN);
            String serverId = api.post("/api/v1/servers", Map.of("name", "crm-db", "host", production.host(), "port",
                    production.port(), "credentialRef", "crm", "sslMode", "DISABLE")).body().get("id").asString();
            ApiClient.Answer job = api.post("/api/v1/dump-jobs", Map.of("name", "crm-hourly", "serverId", serverId,
                    "dumpType", "FULL", "databaseName", "crm", "cron", "0 * * * *"));
            assertThat(job.status()).as(job.raw()).isEqualTo(201);
            jobId = job.body().get("id").asString();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    config.bean(JdbcClient.class)
                            .sql("SELECT count(*) FROM outbox").query(Long.class).single() == 0);
        }
        // and catalog-service ran once and is stopped too
        stack.catalogService().close();

        // When a scheduler and a dump worker start from nothing, and two hours pass
        try (ServiceApps.Running scheduler = stack.scheduler(); ServiceApps.Running worker = stack.dumpWorker("worker-r")) {
            TopicRecords.awaitKey(broker, Topics.SCHEDULER_PROGRESS.name(), stack.<SchedulerProgress>deserializer(),
                    jobId, Duration.ofSeconds(60));
            clock.set(Instant.parse("2026-10-01T11:00:02Z"));
            awaitOutcomes(broker, stack, jobId, 1);
            clock.set(Instant.parse("2026-10-01T12:00:02Z"));
            List<DumpCompleted> outcomes = awaitOutcomes(broker, stack, jobId, 2);

            // Then both scheduled dumps ran without config-service
            assertThat(outcomes).extracting(DumpCompleted::getDumpId)
                    .containsExactly(jobId + "/20261001T110000Z", jobId + "/20261001T120000Z");
            assertThat(outcomes).allMatch(o -> o.getOutcome() == Outcome.SUCCEEDED);
        }

        // And when catalog-service starts again, it catches up with both outcomes from Kafka
        try (ServiceApps.Running catalog = stack.catalogService()) {
            ApiClient api = new ApiClient(catalog.baseUrl(), Stack.ADMIN_TOKEN);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    api.get("/api/v1/dumps?dumpJobId=" + jobId).body().get("total").asLong() == 2);
            assertThat(api.get("/api/v1/dumps?dumpJobId=" + jobId + "&outcome=SUCCEEDED").body().get("total").asLong())
                    .isEqualTo(2);
        }
    }

    private static List<DumpCompleted> awaitOutcomes(KafkaBroker broker, Stack stack, String jobId, int count) {
        return TopicRecords.readUntil(broker, Topics.DUMP_COMPLETED.name(), stack.<DumpCompleted>deserializer(),
                        list -> list.stream().filter(r -> r.value().getDumpJobId().equals(jobId)).count() >= count,
                        Duration.ofSeconds(120))
                .stream().map(ConsumerRecord::value).filter(v -> v.getDumpJobId().equals(jobId)).toList();
    }
}
