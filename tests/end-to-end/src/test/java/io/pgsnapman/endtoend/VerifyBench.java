package io.pgsnapman.endtoend;

import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.pgtools.ExportedSnapshot;
import io.pgsnapman.pgtools.ServerIntrospector;
import io.pgsnapman.pgtools.TableContents;
import io.pgsnapman.repository.DirectoryTrees;
import io.pgsnapman.repository.DumpReader;
import io.pgsnapman.repository.FilesystemDumpRepository;
import io.pgsnapman.repository.PipedDump;
import io.pgsnapman.schemas.AvroTrust;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.testsupport.ApiClient;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.databind.JsonNode;

/**
 * Benchmark, not a test (run by {@code bench/verify.sh}): a pgbench database dumped once by PgSnapMan, then, in
 * rounds on the same verification server (each round in another order, each timing after a {@code CHECKPOINT}, after
 * one untimed round), (a) a plain {@code createdb} + {@code pg_restore -j} of the same dump's files, (c) the same
 * reading the dump through the repository's pipes as the restore-worker does, and (b) a verification by test restore
 * asked for through the catalog API — timed as the worker ran it (request taken to outcome: checksums, load through
 * pipes, the comparison of every table, the drop) and end to end (asked to recorded). Also prints what the content
 * checksum adds at dump time: the snapshot's exact counts alone, with the per-column and with the whole-row checksum.
 */
public final class VerifyBench {

    public static void main(String[] args) throws Exception {
        int scale = Integer.parseInt(System.getProperty("bench.scale", "100"));
        int jobs = Integer.parseInt(System.getProperty("bench.jobs", "2"));
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "5"));
        AvroTrust.trustEventClasses();
        Path work = Files.createTempDirectory("pgsnapman-verify-bench-");
        System.out.printf("pgbench scale %d, -j %d, %d alternating rounds; work dir %s%n", scale, jobs, rounds, work);
        try (PostgresServers servers = PostgresServers.start(2);
                KafkaBroker broker = KafkaBroker.start(3);
                SchemaRegistryServer registry = SchemaRegistryServer.start()) {
            PostgresServer verifier = servers.get(0);
            PostgresServer production = servers.get(1);
            Benches.pgbenchInit(production, scale);
            countingCost(production);

            Stack stack = new Stack(broker, registry, verifier, work, null);
            stack.createDatabase("pgsnapman_config");
            stack.createDatabase("pgsnapman_catalog");
            stack.credential("production", production.password());
            stack.credential("verifier", verifier.password());
            try (ServiceApps.Running config = stack.configService();
                    ServiceApps.Running catalog = stack.catalogService(Map.of("pgsnapman.catalog.verification.dispatch-every", "1s"));
                    ServiceApps.Running dumper = stack.dumpWorker("bench-dumper");
                    ServiceApps.Running restorer = stack.restoreWorker("bench-verifier")) {
                ApiClient api = new ApiClient(config.baseUrl(), Stack.ADMIN_TOKEN);
                ApiClient catalogApi = new ApiClient(catalog.baseUrl(), Stack.ADMIN_TOKEN);
                String serverId = api.post("/api/v1/servers", Map.of("name", "production", "host", production.host(),
                        "port", production.port(), "credentialRef", "production", "sslMode", "DISABLE")).body().get("id").asString();
                int major = Stack.majorVersion(verifier);
                api.post("/api/v1/servers", Map.of("name", "verifier", "host", verifier.host(), "port", verifier.port(),
                        "credentialRef", "verifier", "sslMode", "DISABLE", "allowDumps", false,
                        "verification", Map.of("diskBudgetBytes", 100L << 30, "majorVersion", major)));
                String jobId = api.post("/api/v1/dump-jobs", Map.of("name", "bench", "serverId", serverId, "dumpType", "FULL",
                        "databaseName", "bench", "cron", "0 0 1 1 *", "state", "HALTED", "parallelJobs", jobs))
                        .body().get("id").asString();
                Benches.Timed<DumpCompleted> dump = new Benches.Outcomes(broker, stack).dumpNow(api, jobId);
                String dumpId = dump.value().getDumpId();
                System.out.printf("dumped with dedup: %.1f s, %,d B logical, %,d B stored; source database %,d B%n",
                        dump.seconds(), dump.value().getSizeBytes(), dump.value().getStoredBytes(),
                        dump.value().getDatabaseSizeBytes());
                Path files = work.resolve("files");
                Files.createDirectories(files);
                DumpReader reader = new FilesystemDumpRepository(stack.repository()).open(dumpId).orElseThrow();
                if (!reader.materialize(files).isEmpty()) {
                    throw new IllegalStateException("the dump does not rebuild");
                }

                List<Double> plain = new ArrayList<>();
                List<Double> piped = new ArrayList<>();
                List<Double> worker = new ArrayList<>();
                List<Double> endToEnd = new ArrayList<>();
                // one round untimed first: the JIT compiles the worker's and the pipes' code there, not in round 1
                plainRestore(verifier, files, jobs);
                verify(stack, catalogApi, dumpId);
                for (int round = 1; round <= rounds; round++) {
                    double[] verification = null;
                    // each round in another order, each timing after a checkpoint: none pays for another's writes
                    for (int turn = 0; turn < 3; turn++) {
                        checkpoint(verifier);
                        switch ((round + turn) % 3) {
                            case 0 -> plain.add(plainRestore(verifier, files, jobs));
                            case 1 -> {
                                try (PipedDump pipes = PipedDump.open(reader, work.resolve("piped"),
                                        PipedDump.DEFAULT_PIPE_FROM)) {
                                    piped.add(plainRestore(verifier, pipes.directory(), jobs));
                                    if (pipes.damage().isPresent()) {
                                        throw new IllegalStateException("damaged: " + pipes.damage().get());
                                    }
                                }
                            }
                            default -> verification = verify(stack, catalogApi, dumpId);
                        }
                    }
                    worker.add(verification[0]);
                    endToEnd.add(verification[1]);
                    System.out.printf("round %d: (a) pg_restore %.2f s, (c) the same through the repository's pipes %.2f s,"
                            + " (b) verification %.2f s as the worker ran it, %.2f s asked to recorded%n", round,
                            plain.get(round - 1), piped.get(round - 1), verification[0], verification[1]);
                }
                double a = Benches.median(plain);
                double b = Benches.median(worker);
                double e = Benches.median(endToEnd);
                System.out.println();
                System.out.printf("median: (a) plain createdb + pg_restore -j %d %.2f s %s%n", jobs, a, plain);
                System.out.printf("        (c) the same, files read through the repository's pipes %.2f s %s, (c)/(a) %.2f%n",
                        Benches.median(piped), piped, Benches.median(piped) / a);
                List<Double> paired = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    paired.add(Math.round(worker.get(round) / plain.get(round) * 1000) / 1000.0);
                }
                System.out.printf("        (b) verification by test restore %.2f s %s, (b)/(a) %.2f (target <= 1.15);"
                        + " asked to recorded %.2f s %s, %.2f%n", b, worker, b / a, e, endToEnd, e / a);
                System.out.printf("        (b)/(a) round by round %s, median %.2f (a round's pair runs within a minute or so;"
                        + " noise that hits one side of a pair shows here)%n", paired, Benches.median(paired));
            }
        } finally {
            DirectoryTrees.delete(work);
        }
        System.exit(0);
    }

    /**
     * What the checksum adds to the dump's exact counts (run on the counting connection, beside pg_dump), each in an
     * exported snapshot as the dump reads them: counts alone, with the per-column checksum dumps take, and with the
     * whole-row one they took before.
     */
    private static void countingCost(PostgresServer production) throws Exception {
        ServerIntrospector introspector = new ServerIntrospector("bench");
        List<ServerIntrospector.TableEstimate> tables;
        try (Connection c = production.connect("bench")) {
            tables = introspector.tableEstimates(c);
        }
        List<Double> counts = new ArrayList<>();
        List<Double> perColumn = new ArrayList<>();
        List<Double> wholeRow = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            try (ExportedSnapshot snapshot = ExportedSnapshot.export(production.connect("bench"));
                    Statement st = snapshot.connection().createStatement()) {
                for (ServerIntrospector.TableEstimate t : tables) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + t.schema() + "\".\"" + t.table() + "\"")) {
                        rs.next();
                    }
                }
            }
            counts.add(Benches.seconds(System.nanoTime() - t0));
            t0 = System.nanoTime();
            try (ExportedSnapshot snapshot = ExportedSnapshot.export(production.connect("bench"))) {
                snapshot.contents(tables);
            }
            perColumn.add(Benches.seconds(System.nanoTime() - t0));
            t0 = System.nanoTime();
            try (ExportedSnapshot snapshot = ExportedSnapshot.export(production.connect("bench"));
                    Statement st = snapshot.connection().createStatement()) {
                TableContents.normalize(st, true);
                for (ServerIntrospector.TableEstimate t : tables) {
                    TableContents.read(st, t.schema(), t.table(), TableContents.Algorithm.HR64);
                }
            }
            wholeRow.add(Benches.seconds(System.nanoTime() - t0));
        }
        System.out.printf("dump side, on the counting connection: exact counts %.2f s %s, with per-column checksums (hc64)"
                + " %.2f s %s, with whole-row checksums (hr64) %.2f s %s%n", Benches.median(counts), counts,
                Benches.median(perColumn), perColumn, Benches.median(wholeRow), wholeRow);
    }

    /** Writes every dirty buffer now, so the next timing does not pay for what the one before wrote. */
    private static void checkpoint(PostgresServer server) throws Exception {
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        }
    }

    /** createdb + pg_restore -j of the dump's files, timed; the database dropped after (not timed). */
    private static double plainRestore(PostgresServer server, Path files, int jobs) throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE plain_restore TEMPLATE template0");
        }
        Benches.run(server, List.of(server.binDir().resolve("pg_restore").toString(), "--jobs=" + jobs,
                "--dbname=plain_restore", "-h", server.host(), "-p", Integer.toString(server.port()), "-U", "postgres",
                "--no-owner", "--no-privileges", files.toString()), null);
        double seconds = Benches.seconds(System.nanoTime() - t0);
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE plain_restore");
        }
        return seconds;
    }

    /**
     * Asks for a test restore and waits for it: {worker seconds, asked-to-recorded seconds}. Waits on the outcome's
     * topic (a consumer blocked in its fetch), not by asking the catalog API over and over, which would take CPU
     * from the test restore it times; then asks the API until the outcome is recorded.
     */
    private static double[] verify(Stack stack, ApiClient catalogApi, String dumpId) {
        long t0 = System.nanoTime();
        String id = catalogApi.post("/api/v1/verifications", Map.of("dumpId", dumpId)).body().get("verificationId").asString();
        RestoreCompleted answer = stack.<RestoreCompleted>awaitValues(Topics.RESTORE_COMPLETED.name(), id, 1,
                Duration.ofMinutes(30)).get(0);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        JsonNode ended = null;
        while (ended == null && Instant.now().isBefore(deadline)) {
            JsonNode v = catalogApi.get("/api/v1/verifications?dumpId=" + dumpId).body().valueStream()
                    .filter(n -> n.get("verificationId").asString().equals(id)).findFirst().orElseThrow();
            String state = v.get("state").asString();
            if (!state.equals("PLANNED") && !state.equals("RUNNING")) {
                ended = v;
            } else {
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        }
        double endToEnd = Benches.seconds(System.nanoTime() - t0);
        if (ended == null || !ended.get("state").asString().equals("VERIFIED")) {
            throw new IllegalStateException("verification " + id + " did not verify: " + ended);
        }
        return new double[] {Duration.between(answer.getStartedAt(), answer.getFinishedAt()).toMillis() / 1000.0, endToEnd};
    }
}
