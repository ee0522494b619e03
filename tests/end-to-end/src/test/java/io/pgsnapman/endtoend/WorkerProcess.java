package io.pgsnapman.endtoend;

import io.pgsnapman.testsupport.FreePorts;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A PgSnapMan worker as a real operating-system process, started from its boot jar, for tests that crash it:
 * {@link #kill()} sends SIGKILL to it and to every process it started (as a pod's end would), so nothing of
 * it runs on — not even its pg_dump.
 */
final class WorkerProcess implements AutoCloseable {

    /** The repository's root: the nearest directory up from here holding {@code services/} (tests run in their module, benches at the root). */
    private static final Path REPO = root(Path.of("").toAbsolutePath());
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;
    private final int port;

    private WorkerProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    private static Path root(Path from) {
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("services"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no services/ directory above " + from);
    }

    /** The settings a worker of {@code service} needs to work with this stack, as instance {@code instance}. */
    static Map<String, String> settings(KafkaBroker broker, SchemaRegistryServer registry, Stack stack, String service,
            String instance) {
        String prefix = "pgsnapman." + service;
        Map<String, String> settings = new HashMap<>();
        settings.put("spring.kafka.bootstrap-servers", broker.bootstrapServers());
        settings.put("spring.kafka.properties.schema.registry.url", registry.url());
        settings.put("spring.kafka.consumer.properties.session.timeout.ms", "6000");
        settings.put("spring.kafka.consumer.properties.heartbeat.interval.ms", "1000");
        settings.put(prefix + ".instance-id", instance);
        settings.put(prefix + ".repository", stack.repository().toString());
        settings.put(prefix + ".credentials-dir", stack.repository().resolveSibling("credentials").toString());
        return settings;
    }

    /** The worker JVM's process id (not its tools'). */
    long pid() {
        return process.pid();
    }

    /**
     * Starts {@code service} (e.g. {@code dump-worker}) with these {@code --key=value} settings and waits until it is ready.
     */
    static WorkerProcess start(String service, Map<String, String> settings, Path logDir) throws Exception {
        Path jar;
        try (var files = Files.list(REPO.resolve("services").resolve(service).resolve("target"))) {
            jar = files.filter(f -> f.getFileName().toString().endsWith("-exec.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no boot jar of " + service + "; run ./mvnw package first"));
        }
        int port = FreePorts.find();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--server.port=" + port, "--server.address=127.0.0.1"));
        settings.forEach((key, value) -> command.add("--" + key + "=" + value));
        Path log = logDir.resolve(service + "-" + port + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        WorkerProcess worker = new WorkerProcess(process, log, port);
        worker.awaitReady(Duration.ofMinutes(2));
        return worker;
    }

    private void awaitReady(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("worker exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250); // polling a process that is starting; there is no event to wait on
        }
        throw new IllegalStateException("worker not ready within " + timeout + ":\n" + tail());
    }

    /** SIGKILL to the worker and everything it started; returns once all of them are gone. */
    void kill() throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : all) {
            handle.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> handle).join();
        }
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The last lines of its log, for failure messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
