package io.pgsnapman.testsupport;

import io.pgsnapman.pgbinaries.PostgresServerUser;
import io.pgsnapman.pgbinaries.PostgresBinaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A throw-away PostgreSQL server: its own cluster created with {@code initdb} under a temporary directory,
 * started with {@code pg_ctl} on a free loopback port (as {@code postgres} when the JVM runs as root).
 * The superuser is {@code postgres}; TCP connections need its generated password (SCRAM), local socket
 * connections are trusted. Durability is switched off for speed. {@link #close()} stops the server and
 * deletes every file; servers still running when the JVM exits are stopped by a shutdown hook.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String SUPERUSER = "postgres";
    private static final int START_ATTEMPTS = 3;
    private static final Set<PostgresServer> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> List.copyOf(RUNNING).forEach(PostgresServer::close), "pgsnapman-postgres-cleanup"));
    }

    private final String name;
    private final Path root;
    private final Path dataDir;
    private final Path socketDir;
    private final Path binDir;
    private final String password;
    private int port;
    private volatile boolean closed;

    private PostgresServer(String name, Path root, Path binDir, String password) {
        this.name = name;
        this.root = root;
        this.dataDir = root.resolve("data");
        this.socketDir = root.resolve("socket");
        this.binDir = binDir;
        this.password = password;
    }

    /** Creates and starts a server; {@code name} only labels it in messages and directory names. */
    public static PostgresServer start(String name) {
        Path binDir = PostgresBinaries.binDir();
        Path root = Directories.createForServiceUser("pgsnapman-pg-" + name + "-");
        PostgresServer server = new PostgresServer(name, root, binDir, randomPassword());
        RUNNING.add(server);
        try {
            server.initdb();
            server.startOnFreePort();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void initdb() {
        try {
            Files.createDirectory(socketDir);
            Directories.handToServiceUser(socketDir);
            Path pwfile = root.resolve("pwfile");
            Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
            Directories.handToServiceUser(pwfile);
            ExternalProcess.run(PostgresServerUser.wrap(List.of(
                    binDir.resolve("initdb").toString(),
                    "--pgdata=" + dataDir,
                    "--username=" + SUPERUSER,
                    "--pwfile=" + pwfile,
                    "--auth-host=scram-sha-256",
                    "--auth-local=trust",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--no-sync")), Duration.ofMinutes(2));
            Files.delete(pwfile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare PostgreSQL server " + name + " in " + root, e);
        }
    }

    private void startOnFreePort() {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            port = FreePorts.find();
            writeSettings();
            try {
                ExternalProcess.run(PostgresServerUser.wrap(List.of(
                        binDir.resolve("pg_ctl").toString(),
                        "--pgdata=" + dataDir,
                        "--log=" + root.resolve("server.log"),
                        "--wait",
                        "--timeout=60",
                        "start")), Duration.ofSeconds(90));
                return;
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw new IllegalStateException("PostgreSQL server " + name + " did not start after " + START_ATTEMPTS
                + " attempts; server log:\n" + serverLog(), last);
    }

    private void writeSettings() {
        String settings = String.join("\n",
                "port = " + port,
                "listen_addresses = '127.0.0.1'",
                "unix_socket_directories = '" + socketDir + "'",
                "max_connections = 50",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "log_min_messages = warning",
                "");
        try {
            Files.writeString(dataDir.resolve("postgresql.auto.conf"), settings, StandardCharsets.UTF_8);
            Directories.handToServiceUser(dataDir.resolve("postgresql.auto.conf"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write settings of PostgreSQL server " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public String superuser() {
        return SUPERUSER;
    }

    /** Password of {@link #superuser()} for TCP connections. */
    public String password() {
        return password;
    }

    /** Directory of this server's binaries (and of the matching client tools). */
    public Path binDir() {
        return binDir;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Directory holding the Unix-domain socket (trusted local connections). */
    public Path socketDir() {
        return socketDir;
    }

    /** An empty directory the server may use as a tablespace location ({@code CREATE TABLESPACE ... LOCATION}). */
    public Path newTablespaceLocation(String name) {
        try {
            Path dir = Files.createDirectory(root.resolve("tablespace-" + name));
            Directories.handToServiceUser(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a tablespace directory for " + this.name, e);
        }
    }

    /** Everything this server wrote lives below this directory. */
    public Path rootDir() {
        return root;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port + "/" + database;
    }

    /** A new JDBC connection as the superuser. */
    public Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", SUPERUSER);
        properties.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl(database), properties);
    }

    /** Process id of the postmaster, while it runs. */
    public OptionalLong postmasterPid() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Stops the server (fast shutdown, then immediate) and deletes its directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (Files.exists(dataDir.resolve("postmaster.pid"))) {
                stop("fast");
            }
        } finally {
            Directories.deleteTree(root);
            RUNNING.remove(this);
        }
    }

    private void stop(String mode) {
        OptionalLong pid = postmasterPid();
        try {
            ExternalProcess.run(PostgresServerUser.wrap(List.of(
                    binDir.resolve("pg_ctl").toString(), "--pgdata=" + dataDir, "--mode=" + mode, "--wait",
                    "--timeout=30", "stop")), Duration.ofSeconds(45));
        } catch (IllegalStateException e) {
            if ("fast".equals(mode)) {
                stop("immediate");
                return;
            }
            pid.stream().mapToObj(ProcessHandle::of).flatMap(Optional::stream).forEach(ProcessHandle::destroyForcibly);
        }
    }

    private String serverLog() {
        try {
            return Files.readString(root.resolve("server.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return "PostgresServer{" + name + " on " + host() + ":" + port + "}";
    }
}
