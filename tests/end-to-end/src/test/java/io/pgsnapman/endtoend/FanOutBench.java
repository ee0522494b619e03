package io.pgsnapman.endtoend;

import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.repository.DirectoryTrees;
import io.pgsnapman.schemas.AvroTrust;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.testsupport.ApiClient;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.MutableClock;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Benchmark, not a test (run by {@code bench/fanout.sh}): copying one pgbench database to three target
 * servers, alternated in each round of one run: PgSnapMan (dump now → one dump → fan-out → three restores,
 * until the third {@code RestoreCompleted}); three sequential {@code pg_dump -Fc | pg_restore} copies; one
 * {@code pgcopydb clone} to one target; the same work bare (one {@code pg_dump -Fd -j}, then three
 * {@code pg_restore -j} of it at once); PgSnapMan to one target. Prints medians of wall time and of the whole
 * machine's CPU time, the ratios against one plain copy, and the bound the bare work's CPU time sets on this
 * machine's cores.
 */
public final class FanOutBench {

    private static final List<String> TARGETS = List.of("t1", "t2", "t3");

    public static void main(String[] args) throws Exception {
        int scale = Integer.parseInt(System.getProperty("bench.scale", "20"));
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "3"));
        int jobs = Integer.parseInt(System.getProperty("bench.jobs", "2"));
        String compression = System.getProperty("bench.compression", "");
        AvroTrust.trustEventClasses();
        Path work = Files.createTempDirectory("pgsnapman-fanout-bench-");
        System.out.printf("pgbench scale %d, -j %d, %d rounds, dump job compression %s; work dir %s%n", scale, jobs, rounds,
                compression.isEmpty() ? "pg_dump's default" : compression, work);
        try (PostgresServers servers = PostgresServers.start(5);
                KafkaBroker broker = KafkaBroker.start(3);
                SchemaRegistryServer registry = SchemaRegistryServer.start()) {
            PostgresServer home = servers.get(0);
            PostgresServer source = servers.get(1);
            Map<String, PostgresServer> targets = new HashMap<>();
            for (int i = 0; i < TARGETS.size(); i++) {
                targets.put(TARGETS.get(i), servers.get(2 + i));
            }
            Benches.pgbenchInit(source, scale);

            Stack stack = new Stack(broker, registry, home, work, new MutableClock(Instant.now()));
            stack.createDatabase("pgsnapman_config");
            stack.credential("source", source.password());
            for (String name : TARGETS) {
                stack.credential(name, targets.get(name).password());
            }
            try (ServiceApps.Running config = stack.configService();
                    ServiceApps.Running scheduler = stack.scheduler();
                    ServiceApps.Running dumpWorker = stack.dumpWorker("bench-dump");
                    ServiceApps.Running restoreWorker = stack.restoreWorker("bench-restore")) {
                ApiClient api = new ApiClient(config.baseUrl(), Stack.ADMIN_TOKEN);
                String sourceId = server(api, "source", source);
                Map<String, Object> dumpJob = new HashMap<>(Map.of("name", "bench", "serverId", sourceId, "dumpType", "FULL",
                        "databaseName", "bench", "cron", "0 0 1 1 *", "state", "HALTED", "parallelJobs", jobs));
                if (!compression.isEmpty()) {
                    dumpJob.put("compressionLevel", Integer.parseInt(compression));
                    dumpJob.put("dedup", false); // a pg_dump compression level applies to dumps without dedup
                }
                String jobId = api.post("/api/v1/dump-jobs", dumpJob).body().get("id").asString();
                dumpJob.put("name", "bench-one");
                String oneTargetJobId = api.post("/api/v1/dump-jobs", dumpJob).body().get("id").asString();
                Map<String, String> targetIds = new HashMap<>();
                for (String name : TARGETS) {
                    targetIds.put(name, server(api, name, targets.get(name)));
                }
                List<String> restoreJobs = new ArrayList<>();
                for (String name : TARGETS) {
                    restoreJobs.add(restoreJob(api, "bench-" + name, jobId, targetIds.get(name), jobs));
                }
                List<String> oneTargetRestoreJobs = List.of(restoreJob(api, "bench-one-t1", oneTargetJobId, targetIds.get("t1"), jobs));
                Map<String, PostgresServer> oneTarget = Map.of("t1", targets.get("t1"));
                restoreJobs.forEach(id -> stack.awaitValues(Topics.CONFIG_RESTORE_JOBS.name(), id, 1));
                oneTargetRestoreJobs.forEach(id -> stack.awaitValues(Topics.CONFIG_RESTORE_JOBS.name(), id, 1));
                outcomes = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                        new StringDeserializer(), stack.<RestoreCompleted>deserializer());
                List<TopicPartition> partitions = outcomes.partitionsFor(Topics.RESTORE_COMPLETED.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                outcomes.assign(partitions);
                outcomes.seekToEnd(partitions);
                partitions.forEach(outcomes::position);

                // warm-up: JIT, connections, page cache
                fanOut(api, jobId, restoreJobs, targets);
                fanOut(api, oneTargetJobId, oneTargetRestoreJobs, oneTarget);
                plainCopies(source, targets, 1);

                List<Cost> fanOut = new ArrayList<>();
                List<Cost> sequential = new ArrayList<>();
                List<Cost> single = new ArrayList<>();
                List<Cost> pgcopydb = new ArrayList<>();
                List<Cost> floor = new ArrayList<>();
                List<Cost> toOne = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    Cost r = bareFanOut(source, targets, jobs, compression, work);
                    floor.add(r);
                    Cost f = fanOut(api, jobId, restoreJobs, targets);
                    Cost o = fanOut(api, oneTargetJobId, oneTargetRestoreJobs, oneTarget);
                    toOne.add(o);
                    List<Cost> copies = plainCopies(source, targets, TARGETS.size());
                    Cost c = pgcopydbClone(source, targets.get("t1"), work, jobs);
                    Cost s = Cost.sum(copies);
                    fanOut.add(f);
                    sequential.add(s);
                    single.addAll(copies);
                    pgcopydb.add(c);
                    System.out.printf("round %d: PgSnapMan fan-out to 3 %s, 3 sequential pg_dump|pg_restore %s"
                            + " (each %s), pgcopydb clone to 1 %s, bare pg_dump then 3 pg_restore at once %s, PgSnapMan to 1 target %s%n",
                            round, f, s, copies, c, r, o);
                }
                int cores = Runtime.getRuntime().availableProcessors();
                double one = Cost.medianWall(single);
                System.out.printf("medians (wall time, and CPU time of the whole machine in core-seconds; %d cores):%n", cores);
                System.out.printf("  one plain pg_dump -Fc | pg_restore copy: %s%n", Cost.median(single));
                System.out.printf("  3 sequential plain copies: %s%n", Cost.median(sequential));
                System.out.printf("  pgcopydb clone (1 target, --table-jobs %d --index-jobs %d): %s%n", jobs, jobs,
                        Cost.median(pgcopydb));
                System.out.printf("  PgSnapMan fan-out to 3 targets (dump now to third RestoreCompleted): %s%n",
                        Cost.median(fanOut));
                System.out.printf("  PgSnapMan to 1 target (dump now to its RestoreCompleted): %s%n", Cost.median(toOne));
                System.out.printf("  bare pg_dump -Fd -j %d, then 3 pg_restore -j %d of it at once (no checks, no messaging): %s%n",
                        jobs, jobs, Cost.median(floor));
                System.out.printf("ratio fan-out / one plain copy: %.3f (target <= 1.5)%n", Cost.medianWall(fanOut) / one);
                System.out.printf("ratio bare dump + 3 restores / one plain copy: %.3f%n", Cost.medianWall(floor) / one);
                System.out.printf("ratio fan-out / bare dump + 3 restores: %.3f (what PgSnapMan adds)%n",
                        Cost.medianWall(fanOut) / Cost.medianWall(floor));
                System.out.printf("ratio fan-out / 3 sequential copies: %.3f%n", Cost.medianWall(fanOut) / Cost.medianWall(sequential));
                System.out.printf("ratio pgcopydb clone / one plain copy: %.3f%n", Cost.medianWall(pgcopydb) / one);
                System.out.printf("ratio PgSnapMan to 1 target / one plain copy: %.3f (what each target of a fan-out costs"
                        + " when targets do not share CPU)%n", Cost.medianWall(toOne) / one);
                System.out.printf("CPU bound: a bare dump and 3 restores need %.2f core-s, so at least %.2f s on %d cores ="
                        + " %.3f x one plain copy, whoever runs them; the fan-out used %.2f core-s (%.3f x the bare work)%n",
                        Cost.medianCpu(floor), Cost.medianCpu(floor) / cores, cores, Cost.medianCpu(floor) / cores / one,
                        Cost.medianCpu(fanOut), Cost.medianCpu(fanOut) / Cost.medianCpu(floor));
            }
        } finally {
            DirectoryTrees.delete(work);
        }
        System.exit(0);
    }

    private static String restoreJob(ApiClient api, String name, String dumpJobId, String targetServerId, int jobs) {
        return api.post("/api/v1/restore-jobs", Map.of("name", name, "sourceDumpJobId", dumpJobId,
                "targetServerId", targetServerId, "targetDatabaseName", "bench",
                "trigger", "ON_DUMP", "options", Map.of("existingDatabase", "DROP", "parallelJobs", jobs)))
                .body().get("id").asString();
    }

    private static String server(ApiClient api, String name, PostgresServer pg) {
        return api.post("/api/v1/servers", Map.of("name", name, "host", pg.host(), "port", pg.port(), "credentialRef", name,
                "sslMode", "DISABLE", "allowRestores", true)).body().get("id").asString();
    }

    private static KafkaConsumer<String, RestoreCompleted> outcomes;

    /** Wall time and the whole machine's CPU time of one measured stretch of work. */
    private record Cost(double wall, double cpu) {

        static Cost since(long startNanos, double startCpu) throws Exception {
            return new Cost(Benches.seconds(System.nanoTime() - startNanos), Benches.busyCoreSeconds() - startCpu);
        }

        static Cost sum(List<Cost> costs) {
            return new Cost(costs.stream().mapToDouble(Cost::wall).sum(), costs.stream().mapToDouble(Cost::cpu).sum());
        }

        static double medianWall(List<Cost> costs) {
            return Benches.median(costs.stream().map(Cost::wall).toList());
        }

        static double medianCpu(List<Cost> costs) {
            return Benches.median(costs.stream().map(Cost::cpu).toList());
        }

        static String median(List<Cost> costs) {
            return new Cost(medianWall(costs), medianCpu(costs)).toString();
        }

        @Override
        public String toString() {
            return String.format("%.2f s (%.2f core-s)", wall, cpu);
        }
    }

    /** Dump now and wait for the three restores; targets are emptied first, outside the timing. */
    private static Cost fanOut(ApiClient api, String jobId, List<String> restoreJobs, Map<String, PostgresServer> targets)
            throws Exception {
        for (PostgresServer target : targets.values()) {
            sql(target, "postgres", "DROP DATABASE IF EXISTS bench WITH (FORCE)");
        }
        long start = System.nanoTime();
        double startCpu = Benches.busyCoreSeconds();
        Instant asked = Instant.now();
        String dumpId = api.post("/api/v1/dump-jobs/" + jobId + "/dump-now", null).body().get("dumpId").asString();
        List<String> waiting = new ArrayList<>(restoreJobs.stream().map(id -> id + "/" + dumpId).toList());
        List<RestoreCompleted> done = new ArrayList<>();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(30));
        while (!waiting.isEmpty() && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, RestoreCompleted> record : outcomes.poll(Duration.ofMillis(20))) {
                if (waiting.remove(record.key())) {
                    if (record.value().getOutcome() != Outcome.SUCCEEDED) {
                        throw new IllegalStateException("restore " + record.key() + " " + record.value().getOutcome() + ": "
                                + record.value().getFailure());
                    }
                    done.add(record.value());
                }
            }
        }
        if (!waiting.isEmpty()) {
            throw new IllegalStateException("no outcome for " + waiting);
        }
        Cost cost = Cost.since(start, startCpu);
        Instant firstStart = done.stream().map(RestoreCompleted::getStartedAt).min(Instant::compareTo).orElseThrow();
        System.out.printf("  fan-out: dump now to first restore start %.2f s; restores %s s%n",
                Duration.between(asked, firstStart).toMillis() / 1000.0, done.stream()
                        .map(r -> String.format("%.2f", Duration.between(r.getStartedAt(), r.getFinishedAt()).toMillis() / 1000.0))
                        .toList());
        return cost;
    }

    /** {@code count} copies one after the other, each {@code pg_dump -Fc | pg_restore} into a fresh database. */
    private static List<Cost> plainCopies(PostgresServer source, Map<String, PostgresServer> targets, int count)
            throws Exception {
        List<Cost> times = new ArrayList<>();
        for (String name : TARGETS.subList(0, count)) {
            PostgresServer target = targets.get(name);
            sql(target, "postgres", "DROP DATABASE IF EXISTS bench WITH (FORCE)");
            long start = System.nanoTime();
            double startCpu = Benches.busyCoreSeconds();
            sql(target, "postgres", "CREATE DATABASE bench");
            ProcessBuilder dump = new ProcessBuilder(source.binDir().resolve("pg_dump").toString(), "--format=custom",
                    "-h", source.host(), "-p", Integer.toString(source.port()), "-U", "postgres", "bench");
            dump.environment().put("PGPASSWORD", source.password());
            dump.redirectError(ProcessBuilder.Redirect.INHERIT);
            ProcessBuilder restore = new ProcessBuilder(target.binDir().resolve("pg_restore").toString(), "--exit-on-error",
                    "-h", target.host(), "-p", Integer.toString(target.port()), "-U", "postgres", "-d", "bench");
            restore.environment().put("PGPASSWORD", target.password());
            restore.redirectError(ProcessBuilder.Redirect.INHERIT).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            List<Process> pipeline = ProcessBuilder.startPipeline(List.of(dump, restore));
            for (Process p : pipeline) {
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("plain copy failed with " + p.exitValue());
                }
            }
            times.add(Cost.since(start, startCpu));
        }
        return times;
    }

    /**
     * What the fan-out does with nothing of PgSnapMan: one {@code pg_dump -Fd -j} (the dump job's compression),
     * then three bare {@code pg_restore -j} of it into fresh databases on the three targets at once, with no
     * checksums, no row checks and no messaging.
     */
    private static Cost bareFanOut(PostgresServer source, Map<String, PostgresServer> targets, int jobs, String compression,
            Path work) throws Exception {
        for (PostgresServer target : targets.values()) {
            sql(target, "postgres", "DROP DATABASE IF EXISTS bench WITH (FORCE)");
        }
        Path dump = work.resolve("bare-dump");
        DirectoryTrees.delete(dump);
        long start = System.nanoTime();
        double startCpu = Benches.busyCoreSeconds();
        List<String> pgDump = new ArrayList<>(List.of(source.binDir().resolve("pg_dump").toString(), "--format=directory",
                "--jobs=" + jobs, "--file=" + dump, "-h", source.host(), "-p", Integer.toString(source.port()), "-U", "postgres"));
        if (!compression.isEmpty()) {
            pgDump.add("--compress=" + compression);
        }
        pgDump.add("bench");
        Benches.run(source, pgDump, null);
        List<Process> running = new ArrayList<>();
        for (PostgresServer target : targets.values()) {
            sql(target, "postgres", "CREATE DATABASE bench");
            ProcessBuilder restore = new ProcessBuilder(target.binDir().resolve("pg_restore").toString(), "--exit-on-error",
                    "--jobs=" + jobs, "-h", target.host(), "-p", Integer.toString(target.port()), "-U", "postgres", "-d", "bench",
                    dump.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            restore.environment().put("PGPASSWORD", target.password());
            running.add(restore.start());
        }
        for (Process p : running) {
            if (p.waitFor() != 0) {
                throw new IllegalStateException("pg_restore failed with " + p.exitValue());
            }
        }
        return Cost.since(start, startCpu);
    }

    /** One {@code pgcopydb clone} into a fresh database on one target. */
    private static Cost pgcopydbClone(PostgresServer source, PostgresServer target, Path work, int jobs) throws Exception {
        sql(target, "postgres", "DROP DATABASE IF EXISTS bench WITH (FORCE)");
        Path dir = work.resolve("pgcopydb");
        DirectoryTrees.delete(dir);
        long start = System.nanoTime();
        double startCpu = Benches.busyCoreSeconds();
        sql(target, "postgres", "CREATE DATABASE bench");
        Map<String, String> env = Map.of("PGCOPYDB_SOURCE_PGURI", uri(source), "PGCOPYDB_TARGET_PGURI", uri(target));
        Benches.run(null, List.of("pgcopydb", "clone", "--dir", dir.toString(), "--table-jobs", Integer.toString(jobs),
                "--index-jobs", Integer.toString(jobs), "--no-owner", "--no-acl"), env);
        return Cost.since(start, startCpu);
    }

    private static String uri(PostgresServer pg) {
        return "postgres://postgres:" + pg.password() + "@" + pg.host() + ":" + pg.port() + "/bench";
    }

    private static void sql(PostgresServer server, String database, String sql) throws Exception {
        try (Connection c = server.connect(database); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
