package io.pgsnapman.endtoend;

import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.repository.DirectoryTrees;
import io.pgsnapman.repository.DumpReader;
import io.pgsnapman.repository.FilesystemDumpRepository;
import io.pgsnapman.repository.PipedDump;
import io.pgsnapman.repository.chunks.ChunkSizes;
import io.pgsnapman.repository.chunks.ChunkedFiles;
import io.pgsnapman.repository.chunks.Chunker;
import io.pgsnapman.repository.chunks.FilesystemChunkStore;
import io.pgsnapman.schemas.AvroTrust;
import io.pgsnapman.testsupport.ApiClient;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.MutableClock;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import io.pgsnapman.repository.Checksums;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Benchmark, not a test (run by {@code bench/dedup.sh}): seven "days" of an application's changes to a pgbench
 * database whose rows hold random text — each day 5 % new rows appended, 1,000 recently inserted rows updated in
 * place, the oldest 0.5 % purged (or, with {@code bench.worstCase}, 0.5 % deleted at random places) — each day
 * dumped (a) by plain {@code pg_dump -Fd} at its default compression, (b) by PgSnapMan without dedup, (d) by
 * PgSnapMan with dedup, and (c) whole-file dedup computed over (a)'s files. Prints the bytes each stores after the
 * seven days, the median dump times, the restore time of day 7 from (a) and from (d), the chunk count, what other
 * chunk sizes would have stored (the same {@code -Z0} dumps re-chunked), and what a second database holding the
 * same data adds.
 */
public final class DedupBench {

    private static final List<ChunkSizes> CANDIDATES = List.of(new ChunkSizes(8 * 1024, 32 * 1024, 128 * 1024),
            ChunkSizes.DEFAULT, new ChunkSizes(32 * 1024, 128 * 1024, 512 * 1024),
            new ChunkSizes(64 * 1024, 256 * 1024, 1024 * 1024));

    public static void main(String[] args) throws Exception {
        int scale = Integer.parseInt(System.getProperty("bench.scale", "20"));
        int days = Integer.parseInt(System.getProperty("bench.days", "7"));
        int jobs = Integer.parseInt(System.getProperty("bench.jobs", "2"));
        boolean worstCase = Boolean.parseBoolean(System.getProperty("bench.worstCase", "false"));
        AvroTrust.trustEventClasses();
        Path work = Files.createTempDirectory("pgsnapman-dedup-bench-");
        System.out.printf("pgbench scale %d with random text rows, %d days, -j %d, purge %s; work dir %s%n", scale, days, jobs,
                worstCase ? "0.5 % at random places (worst case)" : "the oldest 0.5 %", work);
        try (PostgresServers servers = PostgresServers.start(2);
                KafkaBroker broker = KafkaBroker.start(3);
                SchemaRegistryServer registry = SchemaRegistryServer.start()) {
            PostgresServer home = servers.get(0);
            PostgresServer production = servers.get(1);
            prepare(production, scale);

            Stack stack = new Stack(broker, registry, home, work, new MutableClock(Instant.now()));
            stack.createDatabase("pgsnapman_config");
            stack.credential("production", production.password());
            try (ServiceApps.Running config = stack.configService();
                    ServiceApps.Running worker = stack.dumpWorker("bench-worker")) {
                ApiClient api = new ApiClient(config.baseUrl(), Stack.ADMIN_TOKEN);
                String serverId = api.post("/api/v1/servers", Map.of("name", "production", "host", production.host(),
                        "port", production.port(), "credentialRef", "production", "sslMode", "DISABLE")).body().get("id").asString();
                String plainJob = job(api, serverId, "bench-plain", "bench", jobs, false);
                String dedupJob = job(api, serverId, "bench-dedup", "bench", jobs, true);
                Benches.Outcomes outcomes = new Benches.Outcomes(broker, stack);

                List<Double> timesA = new ArrayList<>();
                List<Double> timesB = new ArrayList<>();
                List<Double> timesD = new ArrayList<>();
                long storedB = 0;
                long storedD = 0;
                Map<String, Long> wholeFiles = new HashMap<>();
                long bytesA = 0;
                Path lastPlain = null;
                String lastDedup = null;
                for (int day = 1; day <= days; day++) {
                    if (day > 1) {
                        change(production, worstCase);
                    }
                    Path plain = work.resolve("plain-" + day);
                    timesA.add(time(() -> pgDump(production, plain, jobs, null)));
                    bytesA += sizeOf(plain);
                    try (Stream<Path> files = Files.walk(plain)) {
                        for (Path f : files.filter(Files::isRegularFile).toList()) {
                            wholeFiles.putIfAbsent(Checksums.sha256(f), Files.size(f));
                        }
                    }
                    pgDump(production, work.resolve("raw-" + day), jobs, 0); // re-chunked below with other sizes
                    Benches.Timed<DumpCompleted> b = outcomes.dumpNow(api, plainJob);
                    Benches.Timed<DumpCompleted> d = outcomes.dumpNow(api, dedupJob);
                    timesB.add(b.seconds());
                    timesD.add(d.seconds());
                    storedB += b.value().getStoredBytes();
                    storedD += d.value().getStoredBytes();
                    System.out.printf("day %d: (a) %.1f s %,d B  (b) %.1f s %,d B  (d) %.1f s %,d B logical, %,d B new%n", day,
                            timesA.get(day - 1), sizeOf(plain), b.seconds(), b.value().getStoredBytes(), d.seconds(),
                            d.value().getSizeBytes(), d.value().getStoredBytes());
                    if (lastPlain != null) {
                        DirectoryTrees.delete(lastPlain);
                    }
                    lastPlain = plain;
                    lastDedup = d.value().getDumpId();
                }
                long wholeFileBytes = wholeFiles.values().stream().mapToLong(Long::longValue).sum();
                long chunks;
                try (Stream<Path> files = Files.walk(stack.repository().resolve("chunks"))) {
                    chunks = files.filter(f -> f.getFileName().toString().length() == 64).count();
                }
                long onePlain = sizeOf(lastPlain);

                // Restore day 7 from (a) and from (d) piped as the restore-worker does, alternating, three rounds each
                // (each into a fresh database, dropped after); then once from (d) rebuilt to files first
                Path plainLast = lastPlain;
                String dedupId = lastDedup;
                List<Double> restoresA = new ArrayList<>();
                List<Double> restoresPiped = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    restoresA.add(time(() -> restore(production, plainLast, "restore_a", jobs)));
                    dropDatabase(production, "restore_a");
                    restoresPiped.add(time(() -> {
                        DumpReader reader = new FilesystemDumpRepository(stack.repository()).open(dedupId).orElseThrow();
                        try (PipedDump piped = PipedDump.open(reader, work.resolve("piped"), PipedDump.DEFAULT_PIPE_FROM)) {
                            restore(production, piped.directory(), "restore_p", jobs);
                            if (piped.damage().isPresent()) {
                                throw new IllegalStateException("day 7 is damaged: " + piped.damage().get());
                            }
                        }
                    }));
                    dropDatabase(production, "restore_p");
                }
                double[] rebuilding = new double[1];
                double restoreD = time(() -> {
                    DumpReader reader = new FilesystemDumpRepository(stack.repository()).open(dedupId).orElseThrow();
                    Path rebuilt = work.resolve("rebuilt");
                    Files.createDirectories(rebuilt);
                    rebuilding[0] = time(() -> {
                        if (!reader.materialize(rebuilt).isEmpty()) {
                            throw new IllegalStateException("day 7 does not rebuild");
                        }
                    });
                    restore(production, rebuilt, "restore_d", jobs);
                });
                DirectoryTrees.delete(work.resolve("rebuilt"));
                double restoreA = Benches.median(restoresA);
                double restorePiped = Benches.median(restoresPiped);

                // A second database holding the same data
                try (Connection c = production.connect("postgres"); Statement st = c.createStatement()) {
                    st.execute("CREATE DATABASE bench_copy TEMPLATE bench");
                }
                String copyJob = job(api, serverId, "bench-copy", "bench_copy", jobs, true);
                DumpCompleted copy = outcomes.dumpNow(api, copyJob).value();

                System.out.println();
                System.out.printf("after %d days, bytes stored:%n", days);
                System.out.printf("  (a) plain pg_dump -Fd (default compression): %,15d  (%.2f x one plain dump)%n", bytesA,
                        (double) bytesA / onePlain);
                System.out.printf("  (b) PgSnapMan without dedup:                 %,15d  (%.2f x)%n", storedB, (double) storedB / onePlain);
                System.out.printf("  (c) whole-file dedup of (a):                 %,15d  (%.2f x)%n", wholeFileBytes,
                        (double) wholeFileBytes / onePlain);
                System.out.printf("  (d) PgSnapMan with dedup:                    %,15d  (%.2f x; target <= 1.6)%n", storedD,
                        (double) storedD / onePlain);
                System.out.printf("  chunks in the store: %,d%n", chunks);
                System.out.printf("median dump time: (a) %.2f s, (b) %.2f s, (d) %.2f s; (d)/(a) %.2f (target <= 1.0)%n",
                        Benches.median(timesA), Benches.median(timesB), Benches.median(timesD),
                        Benches.median(timesD) / Benches.median(timesA));
                System.out.printf("restore of day %d, median of 3 alternating: from (a) %.2f s %s; from (d) piped as the"
                        + " restore-worker does %.2f s %s, (d)/(a) %.2f (target <= 1.1); once from (d) rebuilt to files first"
                        + " %.2f s (rebuilding %.2f s), %.2f%n", days, restoreA, restoresA, restorePiped, restoresPiped,
                        restorePiped / restoreA, restoreD, rebuilding[0], restoreD / restoreA);
                System.out.printf("a second database with the same data, dumped with dedup: %,d B logical, %,d B new%n",
                        copy.getSizeBytes(), copy.getStoredBytes());
                System.out.println("the same uncompressed dumps re-chunked with other sizes (min / avg / max KiB):");
                for (ChunkSizes sizes : CANDIDATES) {
                    rechunk(work, days, sizes);
                }
            }
        } finally {
            DirectoryTrees.delete(work);
        }
        System.exit(0);
    }

    /** pgbench's accounts with 64 characters of random text each instead of blanks, so they do not compress away. */
    private static void prepare(PostgresServer production, int scale) throws Exception {
        long t0 = System.nanoTime();
        Benches.pgbenchInit(production, scale);
        try (Connection c = production.connect("bench"); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE pgbench_accounts ALTER filler TYPE text");
            st.execute("UPDATE pgbench_accounts SET filler = md5(random()::text) || md5(random()::text)");
            st.execute("VACUUM FULL ANALYZE pgbench_accounts");
        }
        System.out.printf("prepared: %.1f s%n", Benches.seconds(System.nanoTime() - t0));
    }

    /** One day of the application: append 5 %, update 1,000 recent rows, purge 0.5 %. */
    private static void change(PostgresServer production, boolean worstCase) throws Exception {
        try (Connection c = production.connect("bench"); Statement st = c.createStatement()) {
            long min;
            long max;
            long count;
            try (ResultSet rs = st.executeQuery("SELECT min(aid), max(aid), count(*) FROM pgbench_accounts")) {
                rs.next();
                min = rs.getLong(1);
                max = rs.getLong(2);
                count = rs.getLong(3);
            }
            long added = count / 20;
            st.execute("INSERT INTO pgbench_accounts SELECT g, 1, 0, md5(random()::text) || md5(random()::text)"
                    + " FROM generate_series(" + (max + 1) + ", " + (max + added) + ") g");
            st.execute("UPDATE pgbench_accounts SET abalance = abalance + 1, filler = md5(random()::text) || md5(random()::text)"
                    + " WHERE aid > " + (max + added - 3000) + " AND aid <= " + (max + added - 2000));
            long purged = count / 200;
            st.execute(worstCase
                    ? "DELETE FROM pgbench_accounts WHERE random() < 0.005"
                    : "DELETE FROM pgbench_accounts WHERE aid < " + (min + purged));
            st.execute("VACUUM ANALYZE pgbench_accounts");
        }
    }

    private static String job(ApiClient api, String serverId, String name, String database, int jobs, boolean dedup) {
        Map<String, Object> spec = new LinkedHashMap<>(Map.of("name", name, "serverId", serverId, "dumpType", "FULL",
                "databaseName", database, "cron", "0 0 1 1 *", "state", "HALTED", "parallelJobs", jobs, "dedup", dedup));
        return api.post("/api/v1/dump-jobs", spec).body().get("id").asString();
    }

    private static void pgDump(PostgresServer production, Path target, int jobs, Integer compression) throws Exception {
        List<String> command = new ArrayList<>(List.of(production.binDir().resolve("pg_dump").toString(), "--format=directory",
                "--jobs=" + jobs, "--file=" + target, "-h", production.host(), "-p", Integer.toString(production.port()),
                "-U", "postgres", "bench"));
        if (compression != null) {
            command.add("--compress=" + compression);
        }
        Benches.run(production, command, null);
    }

    private static void dropDatabase(PostgresServer production, String database) throws Exception {
        try (Connection c = production.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE " + database);
        }
    }

    private static void restore(PostgresServer production, Path dump, String database, int jobs) throws Exception {
        try (Connection c = production.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
        Benches.run(production, List.of(production.binDir().resolve("pg_restore").toString(), "--jobs=" + jobs,
                "--dbname=" + database, "-h", production.host(), "-p", Integer.toString(production.port()), "-U", "postgres",
                dump.toString()), null);
    }

    /** What the days' uncompressed dumps store with other chunk sizes, in a fresh store each. */
    private static void rechunk(Path work, int days, ChunkSizes sizes) throws Exception {
        Path store = work.resolve("rechunk");
        long stored = 0;
        long chunks = 0;
        long t0 = System.nanoTime();
        ChunkedFiles files = new ChunkedFiles(new Chunker(sizes), new FilesystemChunkStore(store, 3, Clock.systemUTC()));
        for (int day = 1; day <= days; day++) {
            try (Stream<Path> raw = Files.walk(work.resolve("raw-" + day))) {
                for (Path f : raw.filter(Files::isRegularFile).toList()) {
                    ChunkedFiles.Stored s = files.store(f, work.resolve("index"));
                    stored += s.storedBytes();
                    chunks += s.chunks();
                }
            }
        }
        long unique;
        try (Stream<Path> stored64 = Files.walk(store)) {
            unique = stored64.filter(f -> f.getFileName().toString().length() == 64).count();
        }
        System.out.printf("  %4d / %4d / %4d: %,15d B stored, %,9d chunks (%,d references), %.1f s%n", sizes.minimum() / 1024,
                sizes.average() / 1024, sizes.maximum() / 1024, stored, unique, chunks,
                Benches.seconds(System.nanoTime() - t0));
        DirectoryTrees.delete(store);
    }

    private static long sizeOf(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double time(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return Benches.seconds(System.nanoTime() - start);
    }
}
