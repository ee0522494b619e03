package io.pgsnapman.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.deadletters.DeadLetterHeaders;
import io.pgsnapman.deadletters.Stage;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.metrics.Metric;
import io.pgsnapman.schemas.TopicSpec;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.testsupport.ApiClient;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records that cannot be read stop no consumer: bytes that are not a record, and a record whose schema id the
 * registry does not know, go into every topic PgSnapMan consumes before anything valid; then a whole flow runs
 * (configuration, a dump now, its fan-out restore, a cron tick) and every service processes the valid records
 * while the bad ones sit in the dead-letter topics, each with the stage DECODE and where it came from. After that
 * flow, each service exposes every metric the {@link Metric} catalogue says it does (alert rules and dashboards are
 * checked against that catalogue).
 */
@WithKafka
@WithSchemaRegistry
@WithPostgres(servers = 2)
class PoisonRecordsIT {

    /** Every topic a PgSnapMan service consumes, and how many consumers read it (each dead-letters on its own). */
    private static final Map<TopicSpec<?>, Integer> CONSUMED = Map.of(
            Topics.CONFIG_SERVERS, 4,        // scheduler, dump-worker, restore-worker and catalog caches
            Topics.CONFIG_DUMP_JOBS, 2,      // scheduler and catalog caches
            Topics.CONFIG_RESTORE_JOBS, 3,   // scheduler, restore-worker (for the jobs' hooks) and catalog caches
            Topics.SCHEDULER_PROGRESS, 1,    // the scheduler leader's progress reader
            Topics.SCHEDULE_TICKS, 1,        // dump-worker
            Topics.DUMP_COMPLETED, 2,        // scheduler fan-out and catalog
            Topics.RESTORE_REQUESTED, 2,     // restore-worker: restores and test restores, a group each
            Topics.RESTORE_COMPLETED, 1,     // catalog
            Topics.CATALOG_EVENTS, 2);       // catalog (DELETED answers) and dump-worker (EXPIRED)

    private static final byte[] GARBAGE = "not a record at all".getBytes();
    /** The wire format's magic byte, then a schema id no registry here has given out. */
    private static final byte[] UNKNOWN_SCHEMA = {0, 0x7f, 0x00, 0x12, 0x34, 2, 4, 6};

    @Test
    void everyConsumerDeadLettersWhatItCannotReadAndProcessesTheValidRecordsAfterIt(KafkaBroker broker,
            SchemaRegistryServer registry, PostgresServers servers, @TempDir Path work) throws Exception {
        PostgresServer home = servers.get(0);
        PostgresServer production = servers.get(1);
        try (Connection c = production.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE ledger");
        }
        try (Connection c = production.connect("ledger"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE entries AS SELECT g AS id, md5(g::text) AS memo FROM generate_series(1, 1000) g");
        }
        MutableClock clock = new MutableClock(Instant.parse("2026-11-02T10:30:00Z"));
        Stack stack = new Stack(broker, registry, home, work, clock);
        stack.createDatabase("pgsnapman_config");
        stack.createDatabase("pgsnapman_catalog");
        stack.credential("ledger", production.password());

        // Given a garbage record and one with an unknown schema id at the head of every consumed topic
        broker.createTopics(CONSUMED.keySet().stream().map(TopicSpec::name).toArray(String[]::new));
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (TopicSpec<?> topic : CONSUMED.keySet()) {
                raw.send(new ProducerRecord<>(topic.name(), "poison-garbage", GARBAGE)).get();
                raw.send(new ProducerRecord<>(topic.name(), "poison-unknown-schema", UNKNOWN_SCHEMA)).get();
            }
        }

        // When every service runs and a whole flow goes through them
        try (ServiceApps.Running config = stack.configService();
                // a notification destination that nothing matches: its delivery counters exist, at zero
                ServiceApps.Running catalog = stack.catalogService(Map.of("pgsnapman.catalog.metrics-every", "1s",
                        "pgsnapman.catalog.topics.lag-every", "1s",
                        "pgsnapman.catalog.notifications.destinations[0].name", "audit",
                        "pgsnapman.catalog.notifications.destinations[0].type", "WEBHOOK",
                        "pgsnapman.catalog.notifications.destinations[0].url", "http://127.0.0.1:9/nothing",
                        "pgsnapman.catalog.notifications.destinations[0].dump-jobs", "no-such-job"));
                ServiceApps.Running scheduler = stack.scheduler();
                ServiceApps.Running dumpWorker = stack.dumpWorker("worker-p");
                ServiceApps.Running restoreWorker = stack.restoreWorker("restorer-p")) {
            ApiClient api = new ApiClient(config.baseUrl(), Stack.ADMIN_TOKEN);
            ApiClient catalogApi = new ApiClient(catalog.baseUrl(), Stack.ADMIN_TOKEN);
            String serverId = api.post("/api/v1/servers", Map.of("name", "ledger-db", "host", production.host(), "port",
                    production.port(), "credentialRef", "ledger", "sslMode", "DISABLE", "allowRestores", true))
                    .body().get("id").asString();
            String jobId = api.post("/api/v1/dump-jobs", Map.of("name", "ledger-hourly", "serverId", serverId,
                    "dumpType", "FULL", "databaseName", "ledger", "cron", "0 * * * *")).body().get("id").asString();
            String restoreJobId = api.post("/api/v1/restore-jobs", Map.of("name", "ledger-copy", "sourceDumpJobId", jobId,
                    "targetServerId", serverId, "targetDatabaseName", "ledger_copy", "trigger", "ON_DUMP",
                    "options", Map.of("existingDatabase", "DROP"))).body().get("id").asString();
            CompactedTopicCache<?> restoreJobs = scheduler.context().getBean("restoreJobCache", CompactedTopicCache.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> restoreJobs.get(restoreJobId).isPresent());
            String dumpId = api.post("/api/v1/dump-jobs/" + jobId + "/dump-now", null).body().get("dumpId").asString();

            // Then the valid records went through: the dump, its fan-out restore, both in the catalog
            RestoreCompleted restore = stack.<RestoreCompleted>awaitValues(Topics.RESTORE_COMPLETED.name(),
                    restoreJobId + "/" + dumpId, 1).get(0);
            assertThat(restore.getOutcome()).as(String.valueOf(restore.getFailure())).isEqualTo(Outcome.SUCCEEDED);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(catalogApi.get("/api/v1/dumps/" + dumpId).status()).isEqualTo(200);
                assertThat(catalogApi.get("/api/v1/restores/" + restoreJobId + "/" + dumpId).status()).isEqualTo(200);
            });
            // and the scheduler, past the bad progress records, still fires the next cron instant
            clock.set(Instant.parse("2026-11-02T11:00:02Z"));
            List<DumpCompleted> dumps = stack.awaitValues(Topics.DUMP_COMPLETED.name(), jobId, 2);
            assertThat(dumps).extracting(DumpCompleted::getDumpId).contains(jobId + "/20261102T110000Z");

            // And every bad record is in its topic's dead-letter topic, once per consumer, at DECODE, with its origin
            Map<String, Long> tally = new TreeMap<>();
            for (Map.Entry<TopicSpec<?>, Integer> consumed : CONSUMED.entrySet()) {
                String dlt = consumed.getKey().deadLetterTopic();
                int expected = 2 * consumed.getValue();
                List<ConsumerRecord<String, byte[]>> letters = TopicRecords.readUntil(broker, dlt, new ByteArrayDeserializer(),
                        list -> list.size() >= expected, Duration.ofSeconds(60));
                assertThat(letters).as(dlt).hasSize(expected);
                assertThat(letters).as(dlt).allSatisfy(letter -> {
                    assertThat(DeadLetterHeaders.stage(letter.headers())).contains(Stage.DECODE);
                    assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ORIGINAL_TOPIC))
                            .contains(consumed.getKey().name());
                    assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ORIGINAL_OFFSET)).isPresent();
                    assertThat(letter.key()).startsWith("poison-");
                });
                assertThat(letters.stream().map(l -> DeadLetterHeaders.text(l.headers(), DeadLetterHeaders.CONSUMER).orElseThrow())
                        .collect(Collectors.toSet())).as(dlt).hasSize(consumed.getValue());
                tally.put(dlt, (long) letters.size());
            }
            System.out.println("dead-lettered per topic: " + tally);
            // and each service counts them for Prometheus, by source topic and stage
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(scheduler.baseUrl() + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body())
                    .contains("pgsnapman_dead_letters_total{stage=\"DECODE\",topic=\"pgsnapman.scheduler.progress\"} 2.0");

            // And every service exposes each metric of the catalogue it is listed for, with the flow's values
            Map<Metric.Service, ServiceApps.Running> services = Map.of(Metric.Service.CONFIG_SERVICE, config,
                    Metric.Service.CATALOG_SERVICE, catalog, Metric.Service.SCHEDULER_SERVICE, scheduler,
                    Metric.Service.DUMP_WORKER, dumpWorker, Metric.Service.RESTORE_WORKER, restoreWorker);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> services.forEach((service, app) -> {
                String scraped = ServiceEndpoints.metrics(app.port());
                for (Metric metric : Metric.values()) {
                    if (metric.exposedBy().contains(service)) {
                        for (String series : metric.seriesNames()) {
                            assertThat(scraped).as(service + " exposes " + series).containsPattern("(?m)^" + series + "[{ ]");
                        }
                    }
                }
            }));
            assertThat(ServiceEndpoints.metrics(dumpWorker.port()))
                    .containsPattern("pgsnapman_dumps_total\\{dump_job=\"" + jobId + "\",outcome=\"SUCCEEDED\",server=\"ledger-db\"} [1-9]");
            assertThat(ServiceEndpoints.metrics(restoreWorker.port()))
                    .containsPattern("pgsnapman_restores_total\\{outcome=\"SUCCEEDED\",purpose=\"RESTORE\",server=\"ledger-db\"} [1-9]");
            // (the catalog judges the fleet every metrics-every: its per-job gauges follow the dump within a second)
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ServiceEndpoints.metrics(catalog.port()))
                    .containsPattern("pgsnapman_newest_verified_dump_age_seconds\\{dump_job=\"" + jobId + "\",server=\"ledger-db\"}")
                    .contains("pgsnapman_dump_job_interval_seconds{dump_job=\"" + jobId + "\",server=\"ledger-db\"} 3600.0"));
        }
    }
}
