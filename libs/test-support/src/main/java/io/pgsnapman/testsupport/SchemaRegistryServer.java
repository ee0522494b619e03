package io.pgsnapman.testsupport;

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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The schema registry built in {@code tools/schema-registry}, run as a separate process on a free port,
 * with the global compatibility level set to BACKWARD. Obtain the per-JVM instance through
 * {@link WithSchemaRegistry}. The jar is found through the system property {@code pgsnapman.registry.jar}
 * (set by the build) or under {@code tools/schema-registry/target} of an enclosing checkout.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    private static final String API_PATH = "/apis/ccompat/v7";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final int port;
    private final Path log;

    private SchemaRegistryServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static SchemaRegistryServer start() {
        Path jar = locateJar();
        int port = FreePorts.find();
        Path log;
        Process process;
        try {
            log = Files.createTempFile("pgsnapman-schema-registry-", ".log");
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    javaExecutable(), "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("HTTP_PORT", Integer.toString(port));
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the schema registry from " + jar + ": " + e.getMessage(), e);
        }
        SchemaRegistryServer server = new SchemaRegistryServer(process, port, log);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "pgsnapman-registry-cleanup"));
        try {
            server.awaitReady();
            server.put(API_PATH + "/config", "{\"compatibility\":\"BACKWARD\"}");
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Base URL of the Confluent-compatible API, for {@code schema.registry.url}. */
    public String url() {
        return "http://127.0.0.1:" + port + API_PATH;
    }

    public int port() {
        return port;
    }

    /** Process id of the registry, for checks that it is gone. */
    public long pid() {
        return process.pid();
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Schema registry exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the schema registry", e);
            }
            sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException("Schema registry not ready after " + READY_TIMEOUT + ":\n" + logTail());
    }

    private void put(String path, String body) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                            .PUT(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("PUT " + path + " answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("PUT " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // the log of a stopped registry in the temp directory is harmless
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    static Path locateJar() {
        String configured = System.getProperty("pgsnapman.registry.jar");
        if (configured != null && !configured.isBlank()) {
            Path jar = Path.of(configured);
            if (Files.isRegularFile(jar)) {
                return jar;
            }
            throw new IllegalStateException("pgsnapman.registry.jar=" + jar + " does not exist; build it with "
                    + "./mvnw -pl tools/schema-registry package");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Optional<Path> jar = runnerJarIn(dir.resolve("tools/schema-registry/target"));
            if (jar.isPresent()) {
                return jar.get();
            }
        }
        throw new IllegalStateException("Schema registry jar not found: build it with ./mvnw -pl tools/schema-registry "
                + "package, or set -Dpgsnapman.registry.jar=<path to the -runner.jar>");
    }

    private static Optional<Path> runnerJarIn(Path target) {
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
