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
        ProcessBuilder builder = builder(command, environment);
        if (stdoutFile != null) {
            builder.redirectOutput(stdoutFile.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        closeInput(process);
        TailCollector stderr = new TailCollector(process.getErrorStream());
        TailCollector stdout = stdoutFile == null ? new TailCollector(process.getInputStream()) : null;
        boolean finished = await(List.of(process), stdout == null ? List.of(stderr) : List.of(stderr, stdout), timeout,
                command.get(0));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new ToolResult(finished ? process.exitValue() : -1,
                stdout == null ? "" : stdout.text(), stderr.text(), elapsed, !finished);
    }

    /**
     * Runs {@code first | second} (the first's standard output into the second's input, no shell) and
     * reports the first failure: the exit code of the first tool that failed and the standard error of both,
     * each line prefixed by its tool's name.
     */
    public ToolResult pipe(List<String> first, List<String> second, Map<String, String> environment, Duration timeout) {
        log.debug("running {} | {}", first, second);
        long start = System.nanoTime();
        List<Process> processes;
        try {
            processes = ProcessBuilder.startPipeline(List.of(builder(first, environment), builder(second, environment)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + first.get(0) + " | " + second.get(0) + ": " + e.getMessage(), e);
        }
        closeInput(processes.get(0));
        TailCollector firstErr = new TailCollector(processes.get(0).getErrorStream());
        TailCollector secondErr = new TailCollector(processes.get(1).getErrorStream());
        TailCollector secondOut = new TailCollector(processes.get(1).getInputStream());
        boolean finished = await(processes, List.of(firstErr, secondErr, secondOut), timeout, first.get(0));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        int exit = -1;
        if (finished) {
            int a = processes.get(0).exitValue();
            int b = processes.get(1).exitValue();
            exit = a != 0 ? a : b;
        }
        String stderr = (prefixed(Path.of(first.get(0)).getFileName().toString(), firstErr.text())
                + prefixed(Path.of(second.get(0)).getFileName().toString(), secondErr.text())).strip();
        return new ToolResult(exit, secondOut.text(), stderr, elapsed, !finished);
    }

    private static String prefixed(String tool, String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                out.append(line.startsWith(tool) ? line : tool + ": " + line).append('\n');
            }
        }
        return out.toString();
    }

    private static ProcessBuilder builder(List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
        builder.environment().putAll(environment);
        return builder;
    }

    private static void closeInput(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the tool reads no input
        }
    }

    /** Waits for every process (killing all on time-out) and for their output readers; false on time-out. */
    private static boolean await(List<Process> processes, List<TailCollector> readers, Duration timeout, String name) {
        readers.forEach(Thread::start);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean finished = true;
        try {
            for (Process process : processes) {
                long left = Math.max(0, deadline - System.nanoTime());
                finished &= process.waitFor(left, TimeUnit.NANOSECONDS);
            }
            if (!finished) {
                for (Process process : processes) {
                    destroyTree(process);
                    process.waitFor(30, TimeUnit.SECONDS);
                }
            }
            for (TailCollector reader : readers) {
                reader.join(10_000);
            }
        } catch (InterruptedException e) {
            processes.forEach(ToolRunner::destroyTree);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + name, e);
        }
        return finished;
    }

    /**
     * Kills {@code process} and every process it started (the children first, while they can still be found as its
     * descendants); returns the children killed, for a caller that waits for them.
     */
    public static List<ProcessHandle> destroyTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return descendants;
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
