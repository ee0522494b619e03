package io.pgsnapman.endtoend;

import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.JobState;
import io.pgsnapman.events.config.VerificationPolicy;
import io.pgsnapman.events.config.Retention;
import io.pgsnapman.registry.serde.AvroSerdeConfig;
import io.pgsnapman.registry.serde.AvroSerializer;
import io.pgsnapman.schemas.AvroTrust;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.catalog.retention.RetentionService;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.MutableClock;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * The catalog at fleet scale: {@code bench.jobs} dump jobs (default 10,000) with {@code bench.perJob} daily dumps
 * each (default 100: a million rows), in steady state — each job keeps {@code perJob - 1} dailies, so every pass
 * expires one dump per job, as a daily pass would. Prints the time of a retention pass over one job (decision
 * only, and decision plus its EXPIRED event), of a pass over every job, and the p50/p99 of
 * {@code GET /api/v1/dumps?dumpJobId=} over random jobs, and {@code GET /api/v1/fleet} (every job judged). Targets: one job &lt; 50 ms, all &lt; 60 s, the listing p99
 * &lt; 50 ms. Run by {@code bench/catalog-scale.sh}.
 */
public final class CatalogScaleBench {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    public static void main(String[] args) throws Exception {
        int jobs = Integer.parseInt(System.getProperty("bench.jobs", "10000"));
        int perJob = Integer.parseInt(System.getProperty("bench.perJob", "100"));
        AvroTrust.trustEventClasses();
        Path work = Files.createTempDirectory("pgsnapman-catalog-scale-");
        System.out.printf("%,d jobs x %,d daily dumps = %,d catalog rows; work dir %s%n", jobs, perJob, (long) jobs * perJob, work);
        try (PostgresServers servers = PostgresServers.start(1);
                KafkaBroker broker = KafkaBroker.start(3);
                SchemaRegistryServer registry = SchemaRegistryServer.start()) {
            PostgresServer home = servers.get(0);
            Stack stack = new Stack(broker, registry, home, work, new MutableClock(NOW));
            stack.createDatabase("pgsnapman_catalog");
            long t0 = System.nanoTime();
            publishJobs(broker, registry, jobs, perJob);
            System.out.printf("published %,d job configurations in %.1f s%n", jobs, Benches.seconds(System.nanoTime() - t0));

            try (ServiceApps.Running catalog = stack.catalogService(Map.of("pgsnapman.catalog.retention.every", "0s",
                    "pgsnapman.catalog.maintenance.check-every", "0s", "pgsnapman.catalog.maintenance.gc-every", "0s"))) {
                t0 = System.nanoTime();
                fill(home, jobs, perJob);
                System.out.printf("filled the catalog in %.1f s%n", Benches.seconds(System.nanoTime() - t0));
                RetentionService retention = catalog.bean(RetentionService.class);
                Awaitility.await().atMost(Duration.ofMinutes(5)).ignoreExceptions()
                        .until(() -> retention.preview("job-0").dumps().size() == perJob);

                Random random = new Random(42);
                List<Double> decide = new ArrayList<>();
                List<Double> apply = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    String job = "job-" + random.nextInt(jobs);
                    long s = System.nanoTime();
                    retention.preview(job);
                    decide.add(millis(System.nanoTime() - s));
                }
                int sampled = Math.min(200, jobs / 2);
                for (int i = 0; i < sampled; i++) {
                    String job = "job-" + i;
                    long s = System.nanoTime();
                    int expired = retention.apply(job);
                    apply.add(millis(System.nanoTime() - s));
                    if (expired != 1) {
                        throw new IllegalStateException(job + " expired " + expired + ", expected 1");
                    }
                }
                System.out.printf("retention of one job, decision only: median %.1f ms, p99 %.1f ms (target < 50)%n",
                        percentile(decide, 50), percentile(decide, 99));
                System.out.printf("retention of one job, decision and its EXPIRED event: median %.1f ms, p99 %.1f ms%n",
                        percentile(apply, 50), percentile(apply, 99));

                long s = System.nanoTime();
                int expired = retention.applyAll();
                System.out.printf("retention over every job: %.1f s, %,d dumps expired (target < 60 s)%n",
                        Benches.seconds(System.nanoTime() - s), expired);

                HttpClient http = HttpClient.newHttpClient();
                List<Double> listing = new ArrayList<>();
                for (int i = 0; i < 1_100; i++) {
                    String job = "job-" + random.nextInt(jobs);
                    HttpRequest request = HttpRequest.newBuilder(URI.create(catalog.baseUrl() + "/api/v1/dumps?dumpJobId=" + job))
                            .header("Authorization", "Bearer " + Stack.ADMIN_TOKEN).build();
                    long q = System.nanoTime();
                    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (i >= 100) { // the first hundred warm up
                        listing.add(millis(System.nanoTime() - q));
                    }
                    if (answer.statusCode() != 200) {
                        throw new IllegalStateException("listing answered " + answer.statusCode() + ": " + answer.body());
                    }
                }
                System.out.printf("GET /api/v1/dumps?dumpJobId= (50 newest of %,d): p50 %.1f ms, p99 %.1f ms (target < 50)%n",
                        perJob, percentile(listing, 50), percentile(listing, 99));

                // the fleet's judgement (what the gauges recompute every metrics-every, the dashboard and status read)
                List<Double> fleet = new ArrayList<>();
                for (int i = 0; i < 11; i++) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(catalog.baseUrl() + "/api/v1/fleet"))
                            .header("Authorization", "Bearer " + Stack.ADMIN_TOKEN).build();
                    long q = System.nanoTime();
                    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (i >= 1) {
                        fleet.add(millis(System.nanoTime() - q));
                    }
                    if (answer.statusCode() != 200) {
                        throw new IllegalStateException("the fleet answered " + answer.statusCode() + ": " + answer.body());
                    }
                }
                System.out.printf("GET /api/v1/fleet (%,d jobs judged over %,d rows): median %.0f ms, max %.0f ms%n", jobs,
                        (long) jobs * perJob, percentile(fleet, 50), percentile(fleet, 100));
            }
        }
    }

    /** The job configurations, each keeping one daily fewer than it has dumps. */
    private static void publishJobs(KafkaBroker broker, SchemaRegistryServer registry, int jobs, int perJob) throws Exception {
        Map<String, Object> props = Map.of("bootstrap.servers", broker.bootstrapServers(), AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                registry.url(), "linger.ms", 20);
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(props, false);
        Retention retention = Retention.newBuilder().setKeepDaily(perJob - 1).setKeepWeekly(0).setKeepMonthly(0)
                .setKeepYearly(0).setMinCount(1).setKeepFailedDays(7).build();
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props, new StringSerializer(), serializer)) {
            for (int j = 0; j < jobs; j++) {
                String id = "job-" + j;
                producer.send(new ProducerRecord<>(Topics.CONFIG_DUMP_JOBS.name(), id,
                        DumpJobConfig.newBuilder(SampleEvents.dumpJobConfig()).setHeader(SampleEvents.header()).setDumpJobId(id)
                                .setName(id).setState(JobState.ACTIVE).setTimeZone("UTC").setRetention(retention)
                                .setVerification(VerificationPolicy.newBuilder().build()).build()));
            }
            producer.flush();
        }
    }

    /** One row per dump, a day apart, straight into the catalog's table. */
    private static void fill(PostgresServer home, int jobs, int perJob) throws Exception {
        Awaitility.await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> {
            try (Connection c = home.connect("pgsnapman_catalog"); Statement st = c.createStatement()) {
                st.executeQuery("SELECT 1 FROM dumps LIMIT 1").close(); // the service's migrations ran
                return true;
            }
        });
        try (Connection c = home.connect("pgsnapman_catalog"); Statement st = c.createStatement()) {
            st.execute("INSERT INTO dumps (dump_id, dump_job_id, server_id, database_name, dump_type, outcome, trigger,"
                    + " scheduled_at, started_at, finished_at, location, file_count, size_bytes, stored_bytes, verification,"
                    + " pinned, source, cataloged_at)"
                    + " SELECT 'job-' || j || '/' || to_char(t, 'YYYYMMDD\"T\"HH24MISS\"Z\"'), 'job-' || j, 'srv-' || (j % 100),"
                    + " 'db' || j, 'FULL', 'SUCCEEDED', 'CRON', t, t, t + interval '1 minute',"
                    + " 'job-' || j || '/' || to_char(t, 'YYYYMMDD\"T\"HH24MISS\"Z\"'), 12, 1000000, 50000, 'VERIFIED', false,"
                    + " 'event', now()"
                    + " FROM generate_series(0, " + (jobs - 1) + ") j,"
                    + " LATERAL (SELECT timestamptz '" + NOW + "' - (d || ' days')::interval - interval '10 hours' AS t"
                    + " FROM generate_series(0, " + (perJob - 1) + ") d) days");
            st.execute("ANALYZE dumps");
        }
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static double percentile(List<Double> values, int percent) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
    }
}
