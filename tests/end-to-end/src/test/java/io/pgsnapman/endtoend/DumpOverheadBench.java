package io.pgsnapman.endtoend;

import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.schemas.AvroTrust;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.testsupport.ApiClient;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.MutableClock;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Benchmark, not a test (run by {@code bench/dump-overhead.sh}): the time of a FULL dump of a pgbench
 * database through PgSnapMan (dump now over REST → outbox → tick → worker → pg_dump → manifest → verify →
 * DumpCompleted) against a plain {@code pg_dump -Fd} at the same {@code -j}, alternated in one run, with
 * medians and their ratio printed.
 */
public final class DumpOverheadBench {

    public static void main(String[] args) throws Exception {
        int scale = Integer.parseInt(System.getProperty("bench.scale", "20"));
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "3"));
        int jobs = Integer.parseInt(System.getProperty("bench.jobs", "2"));
        boolean exactRowCounts = Boolean.parseBoolean(System.getProperty("bench.exactRowCounts", "true"));
        AvroTrust.trustEventClasses();
        Path work = Files.createTempDirectory("pgsnapman-bench-");
        System.out.printf("pgbench scale %d, pg_dump -j %d, %d rounds, exact row counts %s; work dir %s%n", scale, jobs, rounds,
                exactRowCounts, work);
        try (PostgresServers servers = PostgresServers.start(2);
                KafkaBroker broker = KafkaBroker.start(3);
                SchemaRegistryServer registry = SchemaRegistryServer.start()) {
            PostgresServer home = servers.get(0);
            PostgresServer production = servers.get(1);
            try (Connection c = production.connect("postgres"); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE bench");
            }
            long t0 = System.nanoTime();
            Benches.run(production, List.of(production.binDir().resolve("pgbench").toString(), "-i", "-q", "-s", Integer.toString(scale),
                    "-h", production.host(), "-p", Integer.toString(production.port()), "-U", "postgres", "bench"), null);
            System.out.printf("pgbench -i -s %d: %.1f s%n", scale, Benches.seconds(System.nanoTime() - t0));

            Stack stack = new Stack(broker, registry, home, work, new MutableClock(Instant.now()));
            stack.createDatabase("pgsnapman_config");
            stack.credential("production", production.password());
            try (ServiceApps.Running config = stack.configService();
                    ServiceApps.Running worker = stack.dumpWorker("bench-worker",
                            Map.of("pgsnapman.dump-worker.exact-row-counts", Boolean.toString(exactRowCounts)))) {
                ApiClient api = new ApiClient(config.baseUrl(), Stack.ADMIN_TOKEN);
                String serverId = api.post("/api/v1/servers", Map.of("name", "production", "host", production.host(),
                        "port", production.port(), "credentialRef", "production", "sslMode", "DISABLE")).body().get("id").asString();
                String jobId = api.post("/api/v1/dump-jobs", Map.of("name", "bench", "serverId", serverId, "dumpType", "FULL",
                        "databaseName", "bench", "cron", "0 0 1 1 *", "state", "HALTED", "parallelJobs", jobs))
                        .body().get("id").asString();
                // One consumer, positioned before any dump, sees each outcome as soon as it is published.
                outcomes = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                        new StringDeserializer(), stack.<DumpCompleted>deserializer());
                List<TopicPartition> partitions = outcomes.partitionsFor(Topics.DUMP_COMPLETED.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                outcomes.assign(partitions);
                outcomes.seekToEnd(partitions);
                partitions.forEach(outcomes::position);
                // warm-up: caches, JIT, connection set-up, page cache of the database
                pipeline(api, broker, stack, jobId);
                plain(production, work, jobs, 0);

                List<Double> plainTimes = new ArrayList<>();
                List<Double> pipelineTimes = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    double p = plain(production, work, jobs, round);
                    double q = pipeline(api, broker, stack, jobId);
                    plainTimes.add(p);
                    pipelineTimes.add(q);
                    System.out.printf("round %d: plain pg_dump %.2f s, PgSnapMan %.2f s%n", round, p, q);
                }
                double plainMedian = Benches.median(plainTimes);
                double pipelineMedian = Benches.median(pipelineTimes);
                System.out.printf("median plain pg_dump -Fd -j %d: %.2f s%n", jobs, plainMedian);
                System.out.printf("median PgSnapMan dump (dump now to DumpCompleted, verified): %.2f s%n", pipelineMedian);
                System.out.printf("ratio PgSnapMan / plain: %.3f (target <= 1.10)%n", pipelineMedian / plainMedian);
            }
        } finally {
            Benches.deleteTree(work);
        }
        System.exit(0);
    }

    private static double plain(PostgresServer production, Path work, int jobs, int round) throws Exception {
        Path target = work.resolve("plain-" + round);
        long start = System.nanoTime();
        Benches.run(production, List.of(production.binDir().resolve("pg_dump").toString(), "--format=directory", "--jobs=" + jobs,
                "--file=" + target, "-h", production.host(), "-p", Integer.toString(production.port()), "-U", "postgres",
                "bench"), null);
        double elapsed = Benches.seconds(System.nanoTime() - start);
        Benches.deleteTree(target);
        return elapsed;
    }

    private static KafkaConsumer<String, DumpCompleted> outcomes;

    private static double pipeline(ApiClient api, KafkaBroker broker, Stack stack, String jobId) {
        long start = System.nanoTime();
        String dumpId = api.post("/api/v1/dump-jobs/" + jobId + "/dump-now", null).body().get("dumpId").asString();
        DumpCompleted done = null;
        Instant deadline = Instant.now().plus(Duration.ofMinutes(30));
        while (done == null && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, DumpCompleted> record : outcomes.poll(Duration.ofMillis(20))) {
                if (record.value().getDumpId().equals(dumpId)) {
                    done = record.value();
                }
            }
        }
        double elapsed = Benches.seconds(System.nanoTime() - start);
        if (done == null) {
            throw new IllegalStateException("no outcome for " + dumpId);
        }
        if (done.getOutcome() != Outcome.SUCCEEDED) {
            throw new IllegalStateException("pipeline dump failed: " + done.getFailure());
        }
        return elapsed;
    }
}
