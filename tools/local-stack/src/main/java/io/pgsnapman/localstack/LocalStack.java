package io.pgsnapman.localstack;

import io.pgsnapman.localstack.StackLayout.Service;
import io.pgsnapman.pgbinaries.PostgresBinaries;
import io.pgsnapman.pgbinaries.PostgresServerUser;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A whole PgSnapMan on this machine: a throw-away PostgreSQL cluster (the configuration and catalog
 * databases, and room for sample databases), a Kafka broker process, the schema registry and the five
 * services, each a separate process, all state under one data directory. {@link #up} starts them in order
 * and waits until each is ready; {@link #close} (also on Ctrl-C) and {@link #down} stop every one of them.
 * The registry keeps its schemas in a file-backed database under the data directory, so the schema ids inside
 * records already on the topics keep their meaning across {@code down} and {@code up} (ADR 0009).
 * With {@link StackLayout#secure()} the broker is secured as deploy/k8s secures it ({@link SecureKafka}).
 * Limits: one broker, loopback only.
 */
public final class LocalStack implements AutoCloseable {

    /** Where the password of a given PostgreSQL server comes from. */
    public static final String PASSWORD_VARIABLE = "PGSNAPMAN_LOCAL_PG_PASSWORD";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final StackLayout layout;
    private final PrintStream out;
    private final List<Process> started = new ArrayList<>();
    private final SecureKafka secureKafka;
    private Process kafka;
    private Path pgBin;
    private boolean stopped;

    private LocalStack(StackLayout layout, PrintStream out) {
        this.layout = layout;
        this.out = out;
        this.secureKafka = new SecureKafka(layout);
    }

    /** Starts every part and returns once all are ready; on any failure, what was started is stopped again. */
    public static LocalStack up(StackLayout layout, PrintStream out) {
        LocalStack stack = new LocalStack(layout, out);
        try {
            stack.start();
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    public StackLayout layout() {
        return layout;
    }

    /** Whether the stack is still up: not closed here and not stopped with {@code down} from elsewhere. */
    public boolean running() {
        return !stopped && Files.exists(layout.pids());
    }

    /** The admin token the services accept (also in the data directory's {@code tokens} file). */
    public String adminToken() {
        return readAdminToken(layout);
    }

    /** The password of the {@code postgres} role on the local cluster. */
    public String postgresPassword() {
        try {
            return Files.readString(layout.credentials().resolve("local")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", layout.postgresUser());
        props.setProperty("password", postgresPassword());
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://" + layout.postgresHost() + ":" + layout.postgresPort() + "/" + database;
    }

    private void start() {
        refuseIfRunningOrPortsTaken();
        prepareDataDir();
        long t0 = System.nanoTime();
        if (layout.postgres() == null) {
            step(1, "PostgreSQL", this::startPostgres, "127.0.0.1:" + layout.postgresPort());
        } else {
            step(1, "PostgreSQL (given, not started)", this::createDatabases, layout.postgresHost() + ":" + layout.postgresPort());
        }
        step(2, "Kafka broker", this::startKafka, layout.kafkaBootstrap());
        step(3, "schema registry", () -> awaitRegistry(launchRegistry()), layout.registryUrl());
        out.printf("[4/4] services: starting %d%n", Service.values().length);
        Map<Service, Process> services = new LinkedHashMap<>();
        for (Service service : Service.values()) {
            services.put(service, startService(service));
        }
        for (Map.Entry<Service, Process> service : services.entrySet()) {
            long s0 = System.nanoTime();
            String health = layout.serviceUrl(service.getKey()) + "/actuator/health/readiness";
            awaitReady(service.getKey().id(), service.getValue(), Duration.ofMinutes(3), () -> httpOk(health),
                    layout.logs().resolve(service.getKey().id() + ".log"));
            out.printf("      %-16s ready on %s (%.1f s)%n", service.getKey().id(), layout.serviceUrl(service.getKey()),
                    seconds(System.nanoTime() - s0));
        }
        out.printf("PgSnapMan is up in %.1f s; data in %s%n", seconds(System.nanoTime() - t0), layout.dataDir());
    }

    private void step(int n, String what, Runnable action, String where) {
        out.printf("[%d/4] %s: starting%n", n, what);
        long s0 = System.nanoTime();
        action.run();
        out.printf("      %s ready on %s (%.1f s)%n", what, where, seconds(System.nanoTime() - s0));
    }

    private void refuseIfRunningOrPortsTaken() {
        List<String> alive = Processes.recordedPids(layout).stream()
                .filter(p -> ours(layout, Long.parseLong(p[1])))
                .map(p -> p[0] + " (pid " + p[1] + ")").toList();
        if (!alive.isEmpty()) {
            throw new IllegalStateException("a stack is already running from " + layout.dataDir() + ": "
                    + String.join(", ", alive) + "; stop it first with: pgsnapman-local down");
        }
        List<String> taken = new ArrayList<>();
        layout.ports().forEach((what, port) -> {
            if (!Processes.free(port)) {
                taken.add(port + " (" + what + ")");
            }
        });
        if (!taken.isEmpty()) {
            throw new IllegalStateException("port " + String.join(", ", taken) + " already in use; stop what uses it or"
                    + " choose other ports with --base-port (now " + layout.basePort() + ")");
        }
    }

    private void prepareDataDir() {
        try {
            Files.createDirectories(layout.dataDir());
            Files.deleteIfExists(layout.pids());
            for (Path dir : List.of(layout.logs(), layout.repository(), layout.credentials(), layout.scripts())) {
                Files.createDirectories(dir);
            }
            if (PostgresServerUser.isRoot()) {
                // the cluster's files belong to postgres, which must be able to reach them
                Files.setPosixFilePermissions(layout.dataDir(), PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            if (!Files.exists(layout.tokens())) {
                String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
                writeSecret(layout.tokens(), "admin:admin:" + token + "\n");
            }
            if (layout.secure()) {
                secureKafka.prepare();
                secureKafka.writeClientConfig();
            } else {
                Files.writeString(layout.kafkaClientConfig(), "# Kafka client settings of this plaintext local stack\n"
                        + "bootstrap.servers=" + layout.kafkaBootstrap() + "\n", StandardCharsets.UTF_8);
            }
            if (layout.postgres() != null) {
                String given = System.getenv(PASSWORD_VARIABLE);
                if (given == null || given.isEmpty()) {
                    throw new IllegalStateException("with --postgres, put the password of " + layout.postgresUser() + " in "
                            + PASSWORD_VARIABLE + " (never on the command line)");
                }
                writeSecret(layout.credentials().resolve("local"), given);
            } else if (!Files.exists(layout.credentials().resolve("local"))) {
                writeSecret(layout.credentials().resolve("local"), HexFormat.of().formatHex(new SecureRandom().generateSeed(16)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + layout.dataDir() + ": " + e.getMessage(), e);
        }
    }

    private static void writeSecret(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    static String readAdminToken(StackLayout layout) {
        try {
            for (String line : Files.readAllLines(layout.tokens())) {
                String[] parts = line.split(":", 3);
                if (parts.length == 3 && parts[1].equals("admin")) {
                    return parts[2].strip();
                }
            }
            throw new IllegalStateException("no admin token in " + layout.tokens());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + layout.tokens() + " (is the stack set up?)", e);
        }
    }

    // ---- PostgreSQL

    private Path pgData() {
        return layout.dataDir().resolve("postgres");
    }

    private void startPostgres() {
        pgBin = PostgresBinaries.binDir();
        Path socket = layout.dataDir().resolve("postgres-socket");
        try {
            Files.createDirectories(socket);
            if (!Files.exists(pgData().resolve("PG_VERSION"))) {
                Path init = Files.createDirectories(layout.dataDir().resolve("postgres-init"));
                Path pwfile = init.resolve("pwfile");
                Files.writeString(pwfile, postgresPassword() + "\n");
                PostgresServerUser.handOver(init);
                PostgresServerUser.handOver(pwfile);
                Files.createDirectories(pgData());
                PostgresServerUser.handOver(pgData());
                Processes.run(PostgresServerUser.wrap(List.of(pgBin.resolve("initdb").toString(), "--pgdata=" + pgData(),
                        "--username=postgres", "--pwfile=" + pwfile, "--auth-host=scram-sha-256", "--auth-local=trust",
                        "--encoding=UTF8", "--locale=C")), Map.of(), Duration.ofMinutes(3), null);
                Files.delete(pwfile);
            }
            Files.writeString(pgData().resolve("postgresql.auto.conf"), String.join("\n",
                    "port = " + layout.postgresPort(), "listen_addresses = '127.0.0.1'",
                    "unix_socket_directories = '" + socket + "'", "max_connections = 100", ""));
            PostgresServerUser.handOver(socket);
            PostgresServerUser.handOver(pgData().resolve("postgresql.auto.conf"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the PostgreSQL cluster in " + pgData() + ": " + e.getMessage(), e);
        }
        Path log = layout.logs().resolve("postgresql.log");
        PostgresServerUser.handOver(layout.logs());
        Processes.run(PostgresServerUser.wrap(List.of(pgBin.resolve("pg_ctl").toString(), "--pgdata=" + pgData(),
                "--log=" + log, "--wait", "--timeout=60", "start")), Map.of(), Duration.ofSeconds(90), null);
        try {
            long pid = Long.parseLong(Files.readAllLines(pgData().resolve("postmaster.pid")).get(0).strip());
            Processes.recordPid(layout, "postgresql", pid);
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL started but its pid is unreadable", e);
        }
        createDatabases();
    }

    /** PgSnapMan's own two databases, created when missing. */
    private void createDatabases() {
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            for (String db : List.of("pgsnapman_config", "pgsnapman_catalog")) {
                if (!st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + db + "'").next()) {
                    st.execute("CREATE DATABASE \"" + db + "\"");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + layout.postgresHost() + ":" + layout.postgresPort()
                    + " is not usable for PgSnapMan's databases: " + e.getMessage(), e);
        }
    }

    private void stopPostgres() {
        if (Files.exists(pgData().resolve("postmaster.pid"))) {
            Path bin = pgBin != null ? pgBin : PostgresBinaries.binDir();
            try {
                Processes.run(PostgresServerUser.wrap(List.of(bin.resolve("pg_ctl").toString(), "--pgdata=" + pgData(),
                        "--mode=fast", "--wait", "--timeout=60", "stop")), Map.of(), Duration.ofSeconds(90), null);
            } catch (RuntimeException e) {
                out.println("PostgreSQL did not stop cleanly: " + e.getMessage());
            }
        }
    }

    // ---- Kafka

    /**
     * Kills the Kafka broker process (SIGKILL, as a crash would) and starts it again on the same data; returns
     * once it answers. The services are left running: they must find the broker again by themselves.
     */
    public synchronized void restartKafka() {
        if (kafka == null) {
            throw new IllegalStateException("no Kafka broker process of this stack");
        }
        kafka.descendants().forEach(ProcessHandle::destroyForcibly);
        kafka.destroyForcibly();
        try {
            kafka.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the broker stopped", e);
        }
        started.remove(kafka);
        kafka = null;
        startKafka();
    }

    private void startKafka() {
        Path dir = layout.dataDir().resolve("kafka");
        Path config = dir.resolve("server.properties");
        Path logConfig = dir.resolve("log4j2.properties");
        String classpath = brokerClasspath();
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(config);
            Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(config, String.join("\n",
                    "process.roles=broker,controller", "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + layout.controllerPort(),
                    String.join("\n", listeners()),
                    "log.dirs=" + dir.resolve("data"),
                    "num.partitions=3", "offsets.topic.replication.factor=1", "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1", "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1", "group.initial.rebalance.delay.ms=0",
                    "log.cleaner.backoff.ms=1000", ""));
            Files.writeString(logConfig, String.join("\n", "status = error", "appender.out.type = Console",
                    "appender.out.name = OUT", "appender.out.layout.type = PatternLayout",
                    "appender.out.layout.pattern = %d %p %c{1} - %m%n", "rootLogger.level = warn",
                    "rootLogger.appenderRef.out.ref = OUT", ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Kafka configuration in " + dir, e);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            Processes.run(List.of(java, "-cp", classpath, "-Dlog4j2.configurationFile=" + logConfig, "kafka.tools.StorageTool",
                    "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()), Map.of(), Duration.ofMinutes(2), null);
        }
        kafka = Processes.start(layout, "kafka", List.of(java, "-Xms256m", "-Xmx512m",
                "-Dlog4j2.configurationFile=" + logConfig, "-cp", classpath, "kafka.Kafka", config.toString()), Map.of(),
                layout.logs().resolve("kafka.log"));
        started.add(kafka);
        awaitReady("Kafka", kafka, Duration.ofMinutes(2), this::kafkaAnswers, layout.logs().resolve("kafka.log"));
        if (layout.secure()) {
            try (Admin admin = Admin.create(kafkaAdministrator())) {
                secureKafka.applyUsers(admin);
            }
        }
    }

    /** The broker's listeners: one plaintext listener, or TLS everywhere with SCRAM for the services ({@link SecureKafka}). */
    private List<String> listeners() {
        return layout.secure() ? secureKafka.brokerSettings() : List.of(
                "listeners=PLAINTEXT://127.0.0.1:" + layout.kafkaPort() + ",CONTROLLER://127.0.0.1:" + layout.controllerPort(),
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + layout.kafkaPort(),
                "controller.listener.names=CONTROLLER", "inter.broker.listener.name=PLAINTEXT");
    }

    /**
     * Client settings with every right on this stack's broker, for tools and tests: the bootstrap servers of a
     * plaintext stack; the administrator's mutual TLS on a secure one.
     */
    public Map<String, Object> kafkaAdministrator() {
        return layout.secure() ? secureKafka.administratorClient()
                : Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, layout.kafkaBootstrap());
    }

    /** Client settings of one service's own Kafka user on a secure stack (SCRAM-SHA-512 or mutual TLS). */
    public Map<String, Object> kafkaClientOf(Service service) {
        if (!layout.secure()) {
            throw new IllegalStateException("a plaintext stack has no Kafka users");
        }
        return secureKafka.serviceClient(service);
    }

    /** The broker runs on this tool's runtime classpath (written at build time), not on whatever runs the tool. */
    private String brokerClasspath() {
        Path built = layout.repoRoot().resolve("tools/local-stack/target/classpath.txt");
        try {
            return Files.exists(built) ? Files.readString(built).strip() : System.getProperty("java.class.path");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + built, e);
        }
    }

    private boolean kafkaAnswers() {
        if (!Processes.listening(layout.secure() ? layout.internalKafkaPort() : layout.kafkaPort())) {
            return false;
        }
        Map<String, Object> client = new HashMap<>(kafkaAdministrator());
        client.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        client.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        try (Admin admin = Admin.create(client)) {
            return !admin.describeCluster().nodes().get().isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    // ---- registry

    /**
     * The registry's own storage (Apicurio 2.4 keeps schemas in H2; in memory unless told otherwise) as a file
     * under the data directory. {@code WRITE_DELAY=0}: a registration is on disk before it is answered, so even a
     * killed registry forgets no id a producer already used.
     */
    static String registryDatabaseUrl(StackLayout layout) {
        return "jdbc:h2:file:" + layout.registryData().resolve("registry").toAbsolutePath() + ";WRITE_DELAY=0";
    }

    private Process launchRegistry() {
        Path jar = onlyFile(layout.repoRoot().resolve("tools/schema-registry/target"), "pgsnapman-schema-registry-",
                "-runner.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process registry = Processes.start(layout, "schema-registry", List.of(java, "-Xmx192m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString()), Map.of("HTTP_PORT", Integer.toString(layout.registryPort()),
                        "REGISTRY_DATASOURCE_URL", registryDatabaseUrl(layout)),
                layout.logs().resolve("schema-registry.log"));
        started.add(registry);
        return registry;
    }

    /** Waits until the registry answers, then has it check every new schema for BACKWARD compatibility. */
    private void awaitRegistry(Process registry) {
        String base = "http://127.0.0.1:" + layout.registryPort();
        awaitReady("schema registry", registry, Duration.ofMinutes(2), () -> httpOk(base + "/health/ready"),
                layout.logs().resolve("schema-registry.log"));
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(layout.registryUrl() + "/config"))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"BACKWARD\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("the registry refused BACKWARD compatibility: " + answer.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- services

    private Process startService(Service service) {
        Path jar = onlyFile(layout.repoRoot().resolve("services").resolve(service.id()).resolve("target"),
                "pgsnapman-" + service.id() + "-", "-exec.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--server.port=" + layout.servicePort(service),
                "--server.address=127.0.0.1",
                "--spring.kafka.bootstrap-servers=" + (layout.secure()
                        ? secureKafka.serviceClient(service).get("bootstrap.servers") : layout.kafkaBootstrap()),
                "--spring.kafka.properties.schema.registry.url=" + layout.registryUrl(),
                "--" + service.prefix() + ".instance-id=local"));
        if (layout.secure()) {
            command.add("--spring.config.additional-location=file:" + secureKafka.serviceSettings(service));
        }
        Map<String, String> environment = new LinkedHashMap<>();
        switch (service) {
            case CONFIG -> {
                database(command, environment, "pgsnapman_config", "PGSNAPMAN_CONFIG_DB_PASSWORD");
                command.add("--pgsnapman.config-service.auth.tokens-file=" + layout.tokens());
                command.add("--pgsnapman.config-service.credentials-dir=" + layout.credentials());
            }
            case CATALOG -> {
                database(command, environment, "pgsnapman_catalog", "PGSNAPMAN_CATALOG_DB_PASSWORD");
                command.add("--pgsnapman.catalog.auth.tokens-file=" + layout.tokens());
                command.add("--pgsnapman.catalog.repository=" + layout.repository());
            }
            case DUMP_WORKER, RESTORE_WORKER -> {
                command.add("--" + service.prefix() + ".repository=" + layout.repository());
                command.add("--" + service.prefix() + ".credentials-dir=" + layout.credentials());
                command.add("--" + service.prefix() + ".scripts-dir=" + layout.scripts());
            }
            case SCHEDULER -> { }
        }
        Process process = Processes.start(layout, service.id(), command, environment,
                layout.logs().resolve(service.id() + ".log"));
        started.add(process);
        return process;
    }

    /** The database settings of a service; the password goes in the environment, never on the command line. */
    private void database(List<String> command, Map<String, String> environment, String database, String passwordVariable) {
        command.add("--spring.datasource.url=" + jdbcUrl(database));
        command.add("--spring.datasource.username=" + layout.postgresUser());
        environment.put(passwordVariable, postgresPassword()); // the service's yml reads it from there
    }

    // ---- shared

    private static Path onlyFile(Path dir, String prefix, String suffix) {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith(suffix))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + prefix + "*" + suffix + " in " + dir
                            + "; build first: ./mvnw install -DskipTests"));
        } catch (IOException e) {
            throw new IllegalStateException("no " + dir + "; build first: ./mvnw install -DskipTests", e);
        }
    }

    private static boolean httpOk(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitReady(String what, Process process, Duration timeout, BooleanSupplier ready, Path log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited with " + process.exitValue() + " before it was ready; see "
                        + log + ":\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " was not ready within " + timeout + "; see " + log + ":\n" + tail(log));
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log)";
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** Stops every part this stack started, services first, PostgreSQL last. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        stopRecorded(layout, out);
    }

    /**
     * Whether the pid is still one of this stack's processes: a recorded pid of a stack that died long ago may
     * belong to something else now, which {@code down} must not touch. Every part's command line names the
     * data directory or the checkout it runs from.
     */
    private static boolean ours(StackLayout layout, long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .flatMap(h -> h.info().commandLine())
                .map(line -> line.contains(layout.dataDir().toString()) || line.contains(layout.repoRoot().toString()))
                .orElse(false);
    }

    private static boolean isService(String name) {
        return Arrays.stream(Service.values()).anyMatch(service -> service.id().equals(name));
    }

    /** Stops a stack from its data directory (e.g. started in another terminal): every recorded process. */
    public static void down(StackLayout layout, PrintStream out) {
        stopRecorded(layout, out);
    }

    private static void stopRecorded(StackLayout layout, PrintStream out) {
        List<String[]> pids = new ArrayList<>(Processes.recordedPids(layout));
        Collections.reverse(pids);
        // the services together (none depends on another), then the registry and Kafka they used
        List<Long> services = new ArrayList<>();
        for (String[] entry : pids) {
            if (entry[0].equals("postgresql")) {
                continue;
            }
            long pid = Long.parseLong(entry[1]);
            if (!ours(layout, pid)) {
                out.printf("%s (pid %s) is not running any more%n", entry[0], entry[1]);
                continue;
            }
            out.printf("stopping %s (pid %s)%n", entry[0], entry[1]);
            if (isService(entry[0])) {
                services.add(pid);
            } else {
                Processes.stopAll(services, Duration.ofSeconds(20));
                services.clear();
                Processes.stop(pid, Duration.ofSeconds(20));
            }
        }
        Processes.stopAll(services, Duration.ofSeconds(20));
        for (String[] entry : pids) {
            if (entry[0].equals("postgresql")) {
                long pid = Long.parseLong(entry[1]);
                boolean mine = ours(layout, pid); // judged before stopping: an exiting process has no command line
                out.printf("stopping postgresql (pid %s)%n", entry[1]);
                new LocalStack(layout, out).stopPostgres();
                if (mine) {
                    // pg_ctl returns once the pid file is gone; the postmaster may take a moment more to exit
                    Processes.stop(pid, Duration.ofSeconds(30));
                }
            }
        }
        try {
            Files.deleteIfExists(layout.pids());
        } catch (IOException e) {
            out.println("cannot remove " + layout.pids() + ": " + e.getMessage());
        }
    }
}
