package io.pgsnapman.endtoend;

import io.pgsnapman.repository.DirectoryTrees;
import io.pgsnapman.schemas.AvroTrust;
import io.pgsnapman.testsupport.ApiClient;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.MutableClock;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmark, not a test (run by {@code bench/dump-overhead.sh}): the time of a FULL dump of a pgbench
 * database through PgSnapMan (dump now over REST → outbox → tick → worker → pg_dump → manifest → verify →
 * DumpCompleted), without dedup, against a plain {@code pg_dump -Fd} at the same {@code -j}, alternated in one run, with
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
            Benches.pgbenchInit(production, scale);

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
                        "databaseName", "bench", "cron", "0 0 1 1 *", "state", "HALTED", "parallelJobs", jobs, "dedup", false))
                        .body().get("id").asString();
                Benches.Outcomes outcomes = new Benches.Outcomes(broker, stack);
                // warm-up: caches, JIT, connection set-up, page cache of the database
                outcomes.dumpNow(api, jobId).seconds();
                plain(production, work, jobs, 0);

                List<Double> plainTimes = new ArrayList<>();
                List<Double> pipelineTimes = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    double p = plain(production, work, jobs, round);
                    double q = outcomes.dumpNow(api, jobId).seconds();
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
            DirectoryTrees.delete(work);
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
        DirectoryTrees.delete(target);
        return elapsed;
    }
}
