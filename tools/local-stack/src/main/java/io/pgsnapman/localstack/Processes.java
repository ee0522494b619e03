package io.pgsnapman.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starting and stopping the stack's child processes: argument arrays only, output to a log file per part,
 * every pid recorded in the data directory so that {@code down} from another terminal finds them.
 */
final class Processes {

    private Processes() {}

    /** Starts a long-running part with its output appended to {@code log}, and records its pid. */
    static Process start(StackLayout layout, String name, List<String> command, Map<String, String> environment, Path log) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            recordPid(layout, name, process.pid());
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
    }

    /** Runs a command to completion; a non-zero exit is an error naming the command and its output. */
    static String run(List<String> command, Map<String, String> environment, Duration timeout, Path workDir) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command.get(command.size() > 4 && command.get(0).equals("runuser") ? 4 : 0)
                        + " exited with " + process.exitValue() + ":\n" + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    static synchronized void recordPid(StackLayout layout, String name, long pid) {
        try {
            Files.createDirectories(layout.dataDir());
            List<String> lines = Files.exists(layout.pids()) ? Files.readAllLines(layout.pids()) : List.of();
            List<String> kept = new ArrayList<>(lines.stream().filter(l -> !l.startsWith(name + " ")).toList());
            boolean replaced = kept.size() < lines.size();
            if (replaced) { // a part started again (the broker after a restart) keeps its place in the start order
                int at = lines.indexOf(lines.stream().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow());
                kept.add(at, name + " " + pid);
            } else {
                kept.add(name + " " + pid);
            }
            Files.write(layout.pids(), kept, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the pid of " + name, e);
        }
    }

    /** Pids recorded in the data directory, in start order, as {name, pid}. */
    static List<String[]> recordedPids(StackLayout layout) {
        try {
            if (!Files.exists(layout.pids())) {
                return List.of();
            }
            return Files.readAllLines(layout.pids()).stream().filter(l -> !l.isBlank()).map(l -> l.split(" ")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + layout.pids(), e);
        }
    }

    /** Asks a process (and its children) to stop, then kills it if it is still there after {@code grace}. */
    static void stop(long pid, Duration grace) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        List<ProcessHandle> children = handle.get().descendants().toList();
        handle.get().destroy();
        try {
            handle.get().onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception timedOut) {
            handle.get().destroyForcibly();
        }
        children.forEach(child -> {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        });
    }

    /** Asks every one of them to stop at once, then stops each as {@link #stop} does. */
    static void stopAll(List<Long> pids, Duration grace) {
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
        pids.forEach(pid -> stop(pid, grace));
    }

    /** Whether something accepts connections on the loopback port. */
    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether this process can bind the loopback port now. */
    static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as the servers do: a closed connection in TIME_WAIT is no listener
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
