package io.pgsnapman.endtoend;

import io.pgsnapman.testsupport.PostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the benchmarks in this package share: running a client tool, medians, seconds, CPU time, cleaning up. */
final class Benches {

    private Benches() {}

    /** Runs a tool to completion (password of {@code server} in its environment, if given), failing loudly. */
    static void run(PostgresServer server, List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        if (server != null) {
            builder.environment().put("PGPASSWORD", server.password());
        }
        if (environment != null) {
            builder.environment().putAll(environment);
        }
        Process process = builder.start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command.get(0) + " failed with " + process.exitValue());
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /**
     * CPU time the whole machine has spent busy so far, in core-seconds: user, nice, system, irq and softirq of
     * the {@code cpu} line of {@code /proc/stat} (Linux, clock ticks of 1/100 s; steal, time the hypervisor gave
     * to others, is left out). The difference over a stretch of work is what it cost every process on the
     * machine, PostgreSQL servers and services included.
     */
    static double busyCoreSeconds() throws IOException {
        String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long ticks = 0;
        for (int column : new int[] {1, 2, 3, 6, 7}) {
            ticks += Long.parseLong(fields[column]);
        }
        return ticks / 100.0;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
