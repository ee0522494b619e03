package io.pgsnapman.pgtools;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One directory of PostgreSQL client tools and their version. {@link #locate} takes a server's
 * {@code pgBinDir} when set, else the newest {@code pg_dump} on the {@code PATH} or under
 * {@code /usr/lib/postgresql/<major>/bin}. {@link #requireCanDump} refuses a pg_dump older than the server.
 */
public final class PgToolset {

    private final Path binDir;
    private final ToolVersion version;

    PgToolset(Path binDir, ToolVersion version) {
        this.binDir = binDir;
        this.version = version;
    }

    /**
     * @param configuredBinDir the server's {@code pgBinDir}, or {@code null}
     * @param path             the {@code PATH} to search when none is configured
     */
    public static PgToolset locate(String configuredBinDir, String path, ToolRunner runner) {
        if (configuredBinDir != null && !configuredBinDir.isBlank()) {
            Path dir = Path.of(configuredBinDir);
            if (!Files.isExecutable(dir.resolve("pg_dump"))) {
                throw new IllegalArgumentException("pgBinDir " + dir + " has no executable pg_dump");
            }
            return new PgToolset(dir, versionOf(dir, runner));
        }
        List<PgToolset> found = new ArrayList<>();
        for (Path dir : candidates(path)) {
            if (isRealPgDump(dir.resolve("pg_dump"))) {
                found.add(new PgToolset(dir, versionOf(dir, runner)));
            }
        }
        return found.stream()
                .max(Comparator.comparing(PgToolset::version))
                .orElseThrow(() -> new IllegalStateException(
                        "No pg_dump found on PATH or under /usr/lib/postgresql/*/bin; install the PostgreSQL client "
                                + "tools or set the server's pgBinDir"));
    }

    /** The newest tools on this machine's {@code PATH} (or Debian's versioned directories). */
    public static PgToolset locateDefault(ToolRunner runner) {
        return locate(null, System.getenv().getOrDefault("PATH", ""), runner);
    }

    private static Set<Path> candidates(String path) {
        Set<Path> dirs = new LinkedHashSet<>();
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                dirs.add(resolveLinks(Path.of(entry)));
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> majors = Files.list(debian)) {
                majors.map(p -> p.resolve("bin")).forEach(dirs::add);
            } catch (IOException ignored) {
                // nothing more to search
            }
        }
        return dirs;
    }

    private static Path resolveLinks(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir;
        }
    }

    /**
     * An executable pg_dump that is not Debian's {@code pg_wrapper} (which picks a version per cluster and
     * would hide which tools run); Debian's versioned directories are searched instead.
     */
    private static boolean isRealPgDump(Path pgDump) {
        return Files.isExecutable(pgDump) && resolveLinks(pgDump).getFileName().toString().equals("pg_dump");
    }

    private static ToolVersion versionOf(Path dir, ToolRunner runner) {
        Path pgDump = dir.resolve("pg_dump");
        ToolResult result = runner.run(List.of(pgDump.toString(), "--version"), Map.of(), Duration.ofSeconds(30), null);
        if (!result.succeeded()) {
            throw new IllegalStateException(pgDump + " --version failed (" + result.exitCode() + "): " + result.stderr());
        }
        return ToolVersion.parseToolOutput(result.stdout());
    }

    public Path binDir() {
        return binDir;
    }

    public ToolVersion version() {
        return version;
    }

    /** Full path of a tool in this directory ({@code pg_dump}, {@code pg_dumpall}, {@code pg_restore}, {@code psql}). */
    public Path tool(String name) {
        Path tool = binDir.resolve(name);
        if (!Files.isExecutable(tool)) {
            throw new IllegalStateException(name + " not found in " + binDir);
        }
        return tool;
    }

    /** Fails with a clear message when this pg_dump cannot dump that server (it is older). */
    public void requireCanDump(ToolVersion server, String serverName) {
        if (!version.canDump(server)) {
            throw new IncompatibleToolException("pg_dump " + version + " in " + binDir + " is older than server '"
                    + serverName + "' (PostgreSQL " + server + "); install newer client tools or set the server's pgBinDir");
        }
    }


    @Override
    public String toString() {
        return "PostgreSQL " + version + " tools in " + binDir;
    }
}
