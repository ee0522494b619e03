package io.pgsnapman.localstack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a local stack keeps its state and on which ports its parts listen. Everything lives under one data
 * directory; ports are derived from one base port so that two stacks never collide by accident.
 *
 * @param repoRoot the PgSnapMan checkout (where the built jars are)
 * @param dataDir  all state: PostgreSQL cluster, Kafka log, dump repository, logs, pids, tokens
 * @param basePort registry = base+81, Kafka = base+92 (controller base+93), PostgreSQL = base+432,
 *                 services = base+100 .. base+104; keep it below 32000, out of Linux's ephemeral port range
 * @param postgres a PostgreSQL server to use instead of starting a throw-away cluster, or null
 * @param secure   Kafka with TLS, SCRAM and an ACL per service ({@link SecureKafka}) instead of plaintext
 */
public record StackLayout(Path repoRoot, Path dataDir, int basePort, GivenPostgres postgres, boolean secure) {

    public static final int DEFAULT_BASE_PORT = 18000;

    /** A PostgreSQL server the stack uses as it is (its password comes from the environment, never an option). */
    public record GivenPostgres(String host, int port, String user) {}

    /** A stack with its own throw-away PostgreSQL cluster. */
    public StackLayout(Path repoRoot, Path dataDir, int basePort) {
        this(repoRoot, dataDir, basePort, null, false);
    }

    /** The same stack with its Kafka secured (TLS, SCRAM, ACLs) or not. */
    public StackLayout withSecureKafka(boolean secureKafka) {
        return new StackLayout(repoRoot, dataDir, basePort, postgres, secureKafka);
    }

    public String postgresHost() {
        return postgres == null ? "127.0.0.1" : postgres.host();
    }

    public String postgresUser() {
        return postgres == null ? "postgres" : postgres.user();
    }

    public int registryPort() {
        return basePort + 81;
    }

    public int kafkaPort() {
        return basePort + 92;
    }

    public int controllerPort() {
        return basePort + 93;
    }

    /** The broker's mutual-TLS listener of a secure stack (replication and the stack's own administration). */
    public int internalKafkaPort() {
        return basePort + 94;
    }

    public int postgresPort() {
        return postgres == null ? basePort + 432 : postgres.port();
    }

    public int servicePort(Service service) {
        return basePort + 100 + service.ordinal();
    }

    /** Every port the stack binds, by what binds it (not a given PostgreSQL server's). */
    public Map<String, Integer> ports() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        if (postgres == null) {
            ports.put("postgresql", postgresPort());
        }
        ports.put("kafka", kafkaPort());
        ports.put("kafka controller", controllerPort());
        if (secure) {
            ports.put("kafka internal", internalKafkaPort());
        }
        ports.put("schema registry", registryPort());
        for (Service service : Service.values()) {
            ports.put(service.id(), servicePort(service));
        }
        return ports;
    }

    public Path logs() {
        return dataDir.resolve("logs");
    }

    public Path pids() {
        return dataDir.resolve("pids");
    }

    public Path repository() {
        return dataDir.resolve("repository");
    }

    /** The schema registry's database (file-backed H2): schema ids keep their meaning across down and up. */
    public Path registryData() {
        return dataDir.resolve("registry");
    }

    public Path credentials() {
        return dataDir.resolve("credentials");
    }

    /** The workers' scripts directory: SCRIPT jobs' and hooks' scripts by name (docs/scripts.md). */
    public Path scripts() {
        return dataDir.resolve("scripts");
    }

    /** {@code name:role:token} lines the services read ({@code auth.tokens-file}); the CLI reads the admin token. */
    public Path tokens() {
        return dataDir.resolve("tokens");
    }

    /** A secure stack's certificates, key stores and Kafka passwords (files readable by this user only). */
    public Path kafkaSecrets() {
        return dataDir.resolve("kafka-secrets");
    }

    /**
     * Kafka client settings for a tool run by the stack's operator ({@code --kafka-config} of the CLI): nothing but
     * the bootstrap servers for a plaintext stack; mutual TLS as the stack's administrator for a secure one.
     */
    public Path kafkaClientConfig() {
        return dataDir.resolve("kafka-client.properties");
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort();
    }

    public String registryUrl() {
        return "http://127.0.0.1:" + registryPort() + "/apis/ccompat/v7";
    }

    public String serviceUrl(Service service) {
        return "http://127.0.0.1:" + servicePort(service);
    }

    /** The five services, in start order. */
    public enum Service {
        CONFIG("config-service", "pgsnapman.config-service"),
        SCHEDULER("scheduler-service", "pgsnapman.scheduler"),
        DUMP_WORKER("dump-worker", "pgsnapman.dump-worker"),
        RESTORE_WORKER("restore-worker", "pgsnapman.restore-worker"),
        CATALOG("catalog-service", "pgsnapman.catalog");

        private final String id;
        private final String prefix;

        Service(String id, String prefix) {
            this.id = id;
            this.prefix = prefix;
        }

        public String id() {
            return id;
        }

        /** Its settings prefix. */
        public String prefix() {
            return prefix;
        }
    }
}
