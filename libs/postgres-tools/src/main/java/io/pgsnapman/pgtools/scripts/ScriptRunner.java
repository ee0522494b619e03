package io.pgsnapman.pgtools.scripts;

import io.pgsnapman.pgtools.PgConnection;
import io.pgsnapman.pgtools.ToolRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one script as a child process: its resolved path as the whole command (an argument array, no shell), its own
 * working directory, and a minimal environment — {@code PATH} (the server's client tools first), {@code HOME} and
 * {@code TMPDIR} (the run's directory), {@code LANG}, libpq's {@code PGHOST PGPORT PGUSER PGDATABASE PGSSLMODE
 * PGAPPNAME}, {@code PGPASSFILE} (a file of mode 0600 in a directory of mode 0700, deleted when the script ends) and
 * the run's {@code PGSNAPMAN_*} variables. Nothing else of the worker's environment is passed on, and never a
 * password. Progress lines go to the run's listener; the rest of standard output and standard error is kept in
 * bounded tails and redacted. Past its timeout, or when the worker's thread is interrupted (the work cancelled), the
 * script and its children are killed. Run directories left by a worker that died are removed when the next runner
 * on the machine starts.
 */
public final class ScriptRunner {

    /** Most characters of each output stream kept. */
    public static final int OUTPUT_LIMIT = 8192;

    private static final Logger log = LoggerFactory.getLogger(ScriptRunner.class);
    private static final Pattern RUN_DIRECTORY = Pattern.compile("run-(\\d+)-.*");
    private static final Map<String, String> FIXED = Map.of("LANG", "C.UTF-8", "LC_ALL", "C.UTF-8");

    private final Path workRoot;
    private final String path;
    private final String applicationName;

    /**
     * @param workRoot        where run directories are made (shared by the workers of a machine)
     * @param path            the worker's {@code PATH}, after the client tools
     * @param applicationName what the script's connections call themselves by default ({@code PGAPPNAME})
     */
    public ScriptRunner(Path workRoot, String path, String applicationName) {
        this.workRoot = workRoot;
        this.path = path;
        this.applicationName = applicationName;
        try {
            Files.createDirectories(workRoot);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the scripts' work directory " + workRoot, e);
        }
        sweepDeadRuns();
    }

    /** Runs {@code script} as {@code run} says, for at most {@code timeout}. */
    public ScriptResult run(Path script, ScriptRun run, Duration timeout) {
        String password = run.connection.password();
        Path directory = null;
        Process process = null;
        try {
            directory = Files.createTempDirectory(workRoot, "run-" + ProcessHandle.current().pid() + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            ProcessBuilder builder = new ProcessBuilder(List.of(script.toString())).directory(directory.toFile());
            Map<String, String> env = builder.environment();
            env.clear();
            env.putAll(environment(run, directory));
            log.info("running {} script '{}' as {}", run.phase.label(), run.name, run.connection);
            process = builder.start();
            process.getOutputStream().close();
            Lines stdout = new Lines(process.getInputStream(), run.progress, password);
            Lines stderr = new Lines(process.getErrorStream(), null, password);
            stdout.start();
            stderr.start();
            boolean finished = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (!finished) {
                log.warn("{} script '{}' ran longer than {}; killing it and its children", run.phase.label(), run.name, timeout);
                kill(process);
            }
            stdout.join(10_000);
            stderr.join(10_000);
            return new ScriptResult(finished ? process.exitValue() : -1, !finished, stdout.text(), stderr.text());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run script '" + run.name + "': " + Redaction.redact(e.getMessage(), password), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("{} script '{}' interrupted (the work is cancelled); killing it and its children", run.phase.label(),
                    run.name);
            if (process != null) {
                ToolRunner.destroyTree(process);
            }
            throw new IllegalStateException("Interrupted while running script '" + run.name + "'", e);
        } finally {
            if (directory != null) {
                deleteTree(directory);
            }
        }
    }

    /** The script's whole environment; the password only in the file {@code PGPASSFILE} names. */
    private Map<String, String> environment(ScriptRun run, Path directory) throws IOException {
        PgConnection c = run.connection;
        Map<String, String> env = new LinkedHashMap<>(FIXED);
        env.put("PATH", run.toolDirectory == null ? path : run.toolDirectory + (path.isEmpty() ? "" : ":" + path));
        env.put("HOME", directory.toString());
        env.put("TMPDIR", directory.toString());
        c.environment(applicationName).forEach((key, value) -> {
            if (!key.equals("PGPASSWORD")) {
                env.put(key, value);
            }
        });
        if (c.password() != null) {
            Path passfile = directory.resolve("pgpass");
            Files.createFile(passfile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(passfile, passfileLine(c), StandardCharsets.UTF_8);
            env.put("PGPASSFILE", passfile.toString());
        }
        env.put("PGSNAPMAN_PHASE", run.phase.label());
        env.putAll(run.variables);
        return env;
    }

    /** A {@code .pgpass} line for exactly this host, port and role (any database). */
    static String passfileLine(PgConnection c) {
        return escape(c.host()) + ":" + c.port() + ":*:" + escape(c.username()) + ":" + escape(c.password()) + "\n";
    }

    private static String escape(String field) {
        return field.replace("\\", "\\\\").replace(":", "\\:");
    }

    /** Kills the script and every process it started, and waits until they are gone. */
    private static void kill(Process process) throws InterruptedException {
        List<ProcessHandle> descendants = ToolRunner.destroyTree(process);
        process.waitFor(30, TimeUnit.SECONDS);
        for (ProcessHandle descendant : descendants) {
            try {
                descendant.onExit().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                log.warn("process {} started by a script did not end after it was killed", descendant.pid());
            }
        }
    }

    /** Removes run directories of processes that are gone (a crash mid-run leaves its password file). */
    private void sweepDeadRuns() {
        try (Stream<Path> runs = Files.list(workRoot)) {
            for (Path run : runs.toList()) {
                Matcher m = RUN_DIRECTORY.matcher(run.getFileName().toString());
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                if (m.matches()) {
                    log.info("removing {}, left by a worker process that is gone", run);
                    deleteTree(run);
                }
            }
        } catch (IOException | NumberFormatException e) {
            log.warn("cannot sweep {}: {}", workRoot, e.getMessage());
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", root, e.getMessage());
        }
    }

    /** Reads one output stream line by line: progress lines to the listener, the rest into a bounded, redacted tail. */
    private static final class Lines extends Thread {
        private final InputStream in;
        private final Consumer<ScriptProgress> progress;
        private final String password;
        private final List<String> kept = new ArrayList<>();
        private int keptChars;
        private boolean truncated;

        Lines(InputStream in, Consumer<ScriptProgress> progress, String password) {
            super("script-output-reader");
            setDaemon(true);
            this.in = in;
            this.progress = progress;
            this.password = password;
        }

        @Override
        public void run() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = boundedLine(reader)) != null) {
                    if (progress != null) {
                        var parsed = ScriptProgress.parse(line);
                        if (parsed.isPresent()) {
                            ScriptProgress p = parsed.get();
                            try {
                                progress.accept(new ScriptProgress(p.done(), p.total(), Redaction.redact(p.message(), password)));
                            } catch (RuntimeException e) {
                                log.debug("a script's progress could not be reported: {}", e.getMessage());
                            }
                            continue;
                        }
                    }
                    keep(line);
                }
            } catch (IOException e) {
                // the process ended; what was read is kept
            }
        }

        /** The next line, cut at {@link #OUTPUT_LIMIT} characters (the rest of a longer one is skipped); null at the end. */
        private static String boundedLine(BufferedReader reader) throws IOException {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = reader.read()) >= 0 && c != '\n') {
                if (line.length() < OUTPUT_LIMIT) {
                    line.append((char) c);
                }
            }
            if (c < 0 && line.isEmpty()) {
                return null;
            }
            int end = line.length();
            return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
        }

        private synchronized void keep(String line) {
            kept.add(line);
            keptChars += line.length() + 1;
            while (keptChars > OUTPUT_LIMIT && kept.size() > 1) {
                keptChars -= kept.remove(0).length() + 1;
                truncated = true;
            }
        }

        synchronized String text() {
            String all = Redaction.redact(String.join("\n", kept), password);
            return truncated ? "[...]\n" + all : all;
        }
    }
}
