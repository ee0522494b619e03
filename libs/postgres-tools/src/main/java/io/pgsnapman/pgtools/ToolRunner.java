package io.pgsnapman.pgtools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one client tool as a child process with an argument array (never a shell string). The child gets
 * this process's environment without any inherited {@code PG*} variable, plus the given variables (which
 * may hold a password: they are never logged). Standard error is kept in a bounded tail; standard output
 * is captured (bounded) or sent to a file.
 */
public final class ToolRunner {

    /** Most characters of standard error (and captured standard output) kept. */
    public static final int STDERR_LIMIT = 8192;

    private static final Logger log = LoggerFactory.getLogger(ToolRunner.class);

    /** Runs to completion (or time-out, then kills it) and reports how it ended. */
    public ToolResult run(List<String> command, Map<String, String> environment, Duration timeout, Path stdoutFile) {
        log.debug("running {}", command);
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
        builder.environment().putAll(environment);
        if (stdoutFile != null) {
            builder.redirectOutput(stdoutFile.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the tool reads no input
        }
        TailCollector stderr = new TailCollector(process.getErrorStream());
        TailCollector stdout = stdoutFile == null ? new TailCollector(process.getInputStream()) : null;
        stderr.start();
        if (stdout != null) {
            stdout.start();
        }
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            stderr.join(10_000);
            if (stdout != null) {
                stdout.join(10_000);
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command.get(0), e);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new ToolResult(finished ? process.exitValue() : -1,
                stdout == null ? "" : stdout.text(), stderr.text(), elapsed, !finished);
    }

    /** Drains a stream, keeping its last {@link #STDERR_LIMIT} characters. */
    private static final class TailCollector extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private boolean truncated;

        TailCollector(InputStream in) {
            super("tool-output-reader");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (this) {
                        kept.write(buffer, 0, n);
                        if (kept.size() > 4 * STDERR_LIMIT) {
                            byte[] all = kept.toByteArray();
                            kept.reset();
                            kept.write(all, all.length - STDERR_LIMIT, STDERR_LIMIT);
                            truncated = true;
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process ended; what was read is kept
            }
        }

        synchronized String text() {
            String all = kept.toString(StandardCharsets.UTF_8);
            if (all.length() > STDERR_LIMIT) {
                all = all.substring(all.length() - STDERR_LIMIT);
                truncated = true;
            }
            return truncated ? "[...]" + all : all;
        }
    }
}
