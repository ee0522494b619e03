package io.pgsnapman.pgbinaries;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the PostgreSQL server binaries (for the test harness and the local stack, which start their own
 * throw-away clusters) ({@code initdb}, {@code pg_ctl}, {@code postgres}):
 * {@code PGSNAPMAN_PG_BINDIR} if set, else {@code pg_config --bindir}, else the newest
 * {@code /usr/lib/postgresql/<major>/bin}.
 */
public final class PostgresBinaries {

    private static volatile Path cached;

    private PostgresBinaries() {}

    public static Path binDir() {
        Path dir = cached;
        if (dir == null) {
            dir = locate();
            cached = dir;
        }
        return dir;
    }

    private static Path locate() {
        String configured = System.getenv("PGSNAPMAN_PG_BINDIR");
        if (configured != null && !configured.isBlank()) {
            return requireServerBinaries(Path.of(configured), "PGSNAPMAN_PG_BINDIR");
        }
        Optional<Path> fromPgConfig = fromPgConfig();
        if (fromPgConfig.isPresent() && Files.isExecutable(fromPgConfig.get().resolve("initdb"))) {
            return fromPgConfig.get();
        }
        Path debianRoot = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debianRoot)) {
            try (Stream<Path> majors = Files.list(debianRoot)) {
                Optional<Path> newest = majors
                        .map(p -> p.resolve("bin"))
                        .filter(p -> Files.isExecutable(p.resolve("initdb")))
                        .max(Comparator.comparingInt(PostgresBinaries::majorOf));
                if (newest.isPresent()) {
                    return newest.get();
                }
            } catch (IOException ignored) {
                // fall through to the error below
            }
        }
        throw new IllegalStateException("PostgreSQL server binaries not found: install PostgreSQL (Debian: apt-get install "
                + "postgresql) or set PGSNAPMAN_PG_BINDIR to the directory holding initdb and pg_ctl");
    }

    private static Optional<Path> fromPgConfig() {
        try {
            Process process = new ProcessBuilder(List.of("pg_config", "--bindir")).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0 || out.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Path.of(out));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static int majorOf(Path binDir) {
        try {
            return Integer.parseInt(binDir.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Path requireServerBinaries(Path dir, String source) {
        if (!Files.isExecutable(dir.resolve("initdb")) || !Files.isExecutable(dir.resolve("pg_ctl"))) {
            throw new IllegalStateException(source + "=" + dir + " holds no executable initdb and pg_ctl");
        }
        return dir;
    }
}
