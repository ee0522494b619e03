package io.pgsnapman.endtoend;

import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.restore.RestoreCompleted;
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
 * servers. Three ways, alternated in each round of one run: PgSnapMan (dump now → one dump → fan-out → three
 * restores, until the third {@code RestoreCompleted}); three sequential {@code pg_dump -Fc | pg_restore}
 * copies; one {@code pgcopydb clone} to one target. Prints medians and the ratios against one plain copy.
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
            sql(source, "postgres", "CREATE DATABASE bench");
            long t0 = System.nanoTime();
            Benches.run(source, List.of(source.binDir().resolve("pgbench").toString(), "-i", "-q", "-s", Integer.toString(scale),
                    "-h", source.host(), "-p", Integer.toString(source.port()), "-U", "postgres", "bench"), null);
            System.out.printf("pgbench -i -s %d: %.1f s%n", scale, Benches.seconds(System.nanoTime() - t0));

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
                }
                String jobId = api.post("/api/v1/dump-jobs", dumpJob).body().get("id").asString();
                List<String> restoreJobs = new ArrayList<>();
                for (String name : TARGETS) {
                    restoreJobs.add(api.post("/api/v1/restore-jobs", Map.of("name", "bench-" + name, "sourceDumpJobId", jobId,
                            "targetServerId", server(api, name, targets.get(name)), "targetDatabaseName", "bench",
                            "trigger", "ON_DUMP", "options", Map.of("existingDatabase", "DROP", "parallelJobs", jobs)))
                            .body().get("id").asString());
                }
                restoreJobs.forEach(id -> stack.awaitValues(Topics.CONFIG_RESTORE_JOBS.name(), id, 1));
                outcomes = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
                        new StringDeserializer(), stack.<RestoreCompleted>deserializer());
                List<TopicPartition> partitions = outcomes.partitionsFor(Topics.RESTORE_COMPLETED.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                outcomes.assign(partitions);
                outcomes.seekToEnd(partitions);
                partitions.forEach(outcomes::position);

                // warm-up: JIT, connections, page cache
                fanOut(api, jobId, restoreJobs, targets);
                plainCopies(source, targets, 1);
                Path floorDump = work.resolve("floor-dump");
                Benches.run(source, List.of(source.binDir().resolve("pg_dump").toString(), "--format=directory",
                        "--jobs=" + jobs, "--file=" + floorDump, "-h", source.host(), "-p", Integer.toString(source.port()),
                        "-U", "postgres", "bench"), null);

                List<Double> fanOut = new ArrayList<>();
                List<Double> sequential = new ArrayList<>();
                List<Double> single = new ArrayList<>();
                List<Double> pgcopydb = new ArrayList<>();
                List<Double> floor = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    double r = concurrentRestores(floorDump, targets, jobs);
                    floor.add(r);
                    double f = fanOut(api, jobId, restoreJobs, targets);
                    List<Double> copies = plainCopies(source, targets, TARGETS.size());
                    double c = pgcopydbClone(source, targets.get("t1"), work, jobs);
                    double s = copies.stream().mapToDouble(Double::doubleValue).sum();
                    fanOut.add(f);
                    sequential.add(s);
                    single.addAll(copies);
                    pgcopydb.add(c);
                    System.out.printf("round %d: PgSnapMan fan-out to 3 %.2f s, 3 sequential pg_dump|pg_restore %.2f s"
                            + " (each %s), pgcopydb clone to 1 %.2f s, 3 bare pg_restore at once %.2f s%n", round, f, s,
                            copies, c, r);
                }
                double one = Benches.median(single);
                System.out.printf("median one plain pg_dump -Fc | pg_restore copy: %.2f s%n", one);
                System.out.printf("median 3 sequential plain copies: %.2f s%n", Benches.median(sequential));
                System.out.printf("median pgcopydb clone (1 target, --table-jobs %d --index-jobs %d): %.2f s%n", jobs, jobs,
                        Benches.median(pgcopydb));
                System.out.printf("median PgSnapMan fan-out to 3 targets (dump now to third RestoreCompleted): %.2f s%n",
                        Benches.median(fanOut));
                System.out.printf("median 3 bare pg_restore -j %d of a ready dump, at once (this machine's floor for"
                        + " restoring 3 copies): %.2f s%n", jobs, Benches.median(floor));
                System.out.printf("ratio fan-out / one plain copy: %.3f (target <= 1.5)%n", Benches.median(fanOut) / one);
                System.out.printf("ratio 3 bare restores at once / one plain copy: %.3f%n", Benches.median(floor) / one);
                System.out.printf("ratio fan-out / 3 sequential copies: %.3f%n", Benches.median(fanOut) / Benches.median(sequential));
                System.out.printf("ratio pgcopydb clone / one plain copy: %.3f%n", Benches.median(pgcopydb) / one);
            }
        } finally {
            Benches.deleteTree(work);
        }
        System.exit(0);
    }

    private static String server(ApiClient api, String name, PostgresServer pg) {
        return api.post("/api/v1/servers", Map.of("name", name, "host", pg.host(), "port", pg.port(), "credentialRef", name,
                "sslMode", "DISABLE", "allowRestores", true)).body().get("id").asString();
    }

    private static KafkaConsumer<String, RestoreCompleted> outcomes;

    /** Dump now and wait for the three restores; targets are emptied first, outside the timing. */
    private static double fanOut(ApiClient api, String jobId, List<String> restoreJobs, Map<String, PostgresServer> targets)
            throws Exception {
        for (PostgresServer target : targets.values()) {
            sql(target, "postgres", "DROP DATABASE IF EXISTS bench WITH (FORCE)");
        }
        long start = System.nanoTime();
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
        double elapsed = Benches.seconds(System.nanoTime() - start);
        Instant firstStart = done.stream().map(RestoreCompleted::getStartedAt).min(Instant::compareTo).orElseThrow();
        System.out.printf("  fan-out: dump now to first restore start %.2f s; restores %s s%n",
                Duration.between(asked, firstStart).toMillis() / 1000.0, done.stream()
                        .map(r -> String.format("%.2f", Duration.between(r.getStartedAt(), r.getFinishedAt()).toMillis() / 1000.0))
                        .toList());
        return elapsed;
    }

    /** {@code count} copies one after the other, each {@code pg_dump -Fc | pg_restore} into a fresh database. */
    private static List<Double> plainCopies(PostgresServer source, Map<String, PostgresServer> targets, int count)
            throws Exception {
        List<Double> times = new ArrayList<>();
        for (String name : TARGETS.subList(0, count)) {
            PostgresServer target = targets.get(name);
            sql(target, "postgres", "DROP DATABASE IF EXISTS bench WITH (FORCE)");
            long start = System.nanoTime();
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
            times.add(Benches.seconds(System.nanoTime() - start));
        }
        return times;
    }

    /**
     * Three bare {@code pg_restore -j} of an existing dump into fresh databases on the three targets at once:
     * what restoring three copies costs on this machine, with no dump, no checks and no messaging.
     */
    private static double concurrentRestores(Path dump, Map<String, PostgresServer> targets, int jobs) throws Exception {
        for (PostgresServer target : targets.values()) {
            sql(target, "postgres", "DROP DATABASE IF EXISTS bench WITH (FORCE)");
        }
        long start = System.nanoTime();
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
        return Benches.seconds(System.nanoTime() - start);
    }

    /** One {@code pgcopydb clone} into a fresh database on one target. */
    private static double pgcopydbClone(PostgresServer source, PostgresServer target, Path work, int jobs) throws Exception {
        sql(target, "postgres", "DROP DATABASE IF EXISTS bench WITH (FORCE)");
        Path dir = work.resolve("pgcopydb");
        Benches.deleteTree(dir);
        long start = System.nanoTime();
        sql(target, "postgres", "CREATE DATABASE bench");
        Map<String, String> env = Map.of("PGCOPYDB_SOURCE_PGURI", uri(source), "PGCOPYDB_TARGET_PGURI", uri(target));
        Benches.run(null, List.of("pgcopydb", "clone", "--dir", dir.toString(), "--table-jobs", Integer.toString(jobs),
                "--index-jobs", Integer.toString(jobs), "--no-owner", "--no-acl"), env);
        return Benches.seconds(System.nanoTime() - start);
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
