package io.pgsnapman.localstack;

import io.pgsnapman.localstack.StackLayout.Service;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kafka of a secure local stack, as {@code deploy/k8s} runs it: TLS on every listener; each service is its own user
 * whose ACLs are exactly those of its Strimzi {@code KafkaUser} in {@code deploy/k8s/base/kafka/users.yaml} (rendered
 * from the service's own declaration), so a service can do only what it declares. The services authenticate with
 * SCRAM-SHA-512, except the restore-worker, which shows the other way deploy/k8s supports: mutual TLS, its certificate's
 * CN being its user name. Replication, the controller and the stack's administrator use mutual TLS too. The certificates are
 * self-signed (keytool, once per data directory) and trusted directly; every password is random and kept in files
 * only this user can read, never on a command line. Limits: one broker, loopback only.
 */
final class SecureKafka {

    static final String MECHANISM = "SCRAM-SHA-512";
    static final String BROKER = "pgsnapman-broker";
    static final String ADMINISTRATOR = "pgsnapman-admin";
    /** The service that authenticates with a certificate instead of SCRAM. */
    static final Service MUTUAL_TLS = Service.RESTORE_WORKER;

    private static final Duration KEYTOOL_TIMEOUT = Duration.ofMinutes(1);

    private final StackLayout layout;
    private final Path dir;

    SecureKafka(StackLayout layout) {
        this.layout = layout;
        this.dir = layout.kafkaSecrets();
    }

    /** Creates what is missing: the store password, the broker's and the administrator's keys, the trust store, a password per service. */
    void prepare() {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            secret(dir.resolve("store-password"));
            for (String name : certificateHolders()) {
                if (!Files.exists(keyStore(name))) {
                    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                            "-dname", "CN=" + name, "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "3650",
                            "-keystore", keyStore(name).toString(), "-storetype", "PKCS12",
                            "-storepass:file", storePasswordFile().toString(),
                            "-keypass:file", storePasswordFile().toString());
                    Files.deleteIfExists(trustStore());
                }
            }
            if (!Files.exists(trustStore())) {
                for (String name : certificateHolders()) {
                    Path certificate = dir.resolve(name + ".crt");
                    keytool("-exportcert", "-rfc", "-alias", name, "-keystore", keyStore(name).toString(),
                            "-storepass:file", storePasswordFile().toString(), "-file", certificate.toString());
                    keytool("-importcert", "-noprompt", "-alias", name, "-file", certificate.toString(),
                            "-keystore", trustStore().toString(), "-storetype", "PKCS12",
                            "-storepass:file", storePasswordFile().toString());
                }
            }
            for (Service service : Service.values()) {
                secret(dir.resolve("user-" + service.id()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka's certificates in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The broker's listener and security settings (its configuration file is readable by this user only). */
    List<String> brokerSettings() {
        String password = storePassword();
        return List.of(
                "listeners=SASL_SSL://127.0.0.1:" + layout.kafkaPort() + ",INTERNAL://127.0.0.1:" + layout.internalKafkaPort()
                        + ",CONTROLLER://127.0.0.1:" + layout.controllerPort(),
                "advertised.listeners=SASL_SSL://127.0.0.1:" + layout.kafkaPort() + ",INTERNAL://127.0.0.1:"
                        + layout.internalKafkaPort(),
                "listener.security.protocol.map=SASL_SSL:SASL_SSL,INTERNAL:SSL,CONTROLLER:SSL",
                "controller.listener.names=CONTROLLER", "inter.broker.listener.name=INTERNAL",
                "listener.name.internal.ssl.client.auth=required", "listener.name.controller.ssl.client.auth=required",
                "sasl.enabled.mechanisms=" + MECHANISM,
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config="
                        + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "ssl.keystore.type=PKCS12", "ssl.keystore.location=" + keyStore(BROKER), "ssl.keystore.password=" + password,
                "ssl.key.password=" + password,
                "ssl.truststore.type=PKCS12", "ssl.truststore.location=" + trustStore(), "ssl.truststore.password=" + password,
                "ssl.principal.mapping.rules=RULE:^CN=([^,]+)$/$1/,DEFAULT",
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users=User:" + BROKER + ";User:" + ADMINISTRATOR,
                "allow.everyone.if.no.acl.found=false");
    }

    /** Client settings of the stack's administrator: mutual TLS on the internal listener, all rights. */
    Map<String, Object> administratorClient() {
        return certificateClient(ADMINISTRATOR);
    }

    /**
     * Client settings of a service's user: SCRAM-SHA-512 over TLS on the public listener, or for {@link #MUTUAL_TLS}
     * its certificate on the mutual-TLS listener.
     */
    Map<String, Object> serviceClient(Service service) {
        if (service == MUTUAL_TLS) {
            return certificateClient(service.id());
        }
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("bootstrap.servers", layout.kafkaBootstrap());
        client.put("security.protocol", "SASL_SSL");
        client.put("sasl.mechanism", MECHANISM);
        client.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + service.id() + "\" password=\"" + userPassword(service.id()) + "\";");
        client.putAll(trust());
        return client;
    }

    private Map<String, Object> certificateClient(String holder) {
        String password = storePassword();
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("bootstrap.servers", "127.0.0.1:" + layout.internalKafkaPort());
        client.put("security.protocol", "SSL");
        client.put("ssl.keystore.type", "PKCS12");
        client.put("ssl.keystore.location", keyStore(holder).toString());
        client.put("ssl.keystore.password", password);
        client.put("ssl.key.password", password);
        client.putAll(trust());
        return client;
    }

    /**
     * A service's Kafka settings as Spring Boot keys, in a file only this user can read; the service is given its
     * location ({@code spring.config.additional-location}), so no secret is on its command line.
     */
    Path serviceSettings(Service service) {
        Map<String, Object> client = serviceClient(service);
        Properties settings = new Properties();
        settings.setProperty("spring.kafka.security.protocol", (String) client.get("security.protocol"));
        if (client.containsKey("sasl.jaas.config")) {
            settings.setProperty("spring.kafka.properties.sasl.mechanism", MECHANISM);
            settings.setProperty("spring.kafka.properties.sasl.jaas.config", (String) client.get("sasl.jaas.config"));
        } else {
            settings.setProperty("spring.kafka.ssl.key-store-location", "file:" + client.get("ssl.keystore.location"));
            settings.setProperty("spring.kafka.ssl.key-store-password", storePassword());
            settings.setProperty("spring.kafka.ssl.key-password", storePassword());
            settings.setProperty("spring.kafka.ssl.key-store-type", "PKCS12");
        }
        settings.setProperty("spring.kafka.ssl.trust-store-location", "file:" + trustStore());
        settings.setProperty("spring.kafka.ssl.trust-store-password", storePassword());
        settings.setProperty("spring.kafka.ssl.trust-store-type", "PKCS12");
        Path file = dir.resolve(service.id() + ".properties");
        writeProperties(file, settings, "Kafka settings of " + service.id() + " in a secure local stack");
        return file;
    }

    /** Writes a Kafka client properties file for the stack's operator (the CLI's {@code --kafka-config}). */
    void writeClientConfig() {
        Properties settings = new Properties();
        administratorClient().forEach((key, value) -> settings.setProperty(key, value.toString()));
        writeProperties(layout.kafkaClientConfig(), settings,
                "Kafka client settings of the stack's administrator (mutual TLS): pgsnapman --kafka-config <this file>");
    }

    /**
     * Creates each service's user (SCRAM-SHA-512, its password from this data directory) and its ACLs, as the
     * Strimzi user operator would from the rendered {@code KafkaUser}s. Repeating it changes nothing.
     */
    void applyUsers(Admin admin) {
        List<UserScramCredentialUpsertion> users = new ArrayList<>();
        List<AclBinding> acls = new ArrayList<>();
        for (KafkaUserSpec user : KafkaUserSpec.read(layout.repoRoot().resolve(KafkaUserSpec.RENDERED))) {
            if (!user.name().equals(MUTUAL_TLS.id())) {
                users.add(new UserScramCredentialUpsertion(user.name(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), userPassword(user.name())));
            }
            acls.addAll(user.bindings());
        }
        try {
            admin.alterUserScramCredentials(List.copyOf(users)).all().get();
            admin.createAcls(acls).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the services' Kafka users and ACLs: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the services' Kafka users", e);
        }
    }

    /** Whom the stack makes a certificate for: the broker, the administrator, the service using mutual TLS. */
    private static List<String> certificateHolders() {
        return List.of(BROKER, ADMINISTRATOR, MUTUAL_TLS.id());
    }

    private Map<String, Object> trust() {
        return Map.of("ssl.truststore.type", "PKCS12", "ssl.truststore.location", trustStore().toString(),
                "ssl.truststore.password", storePassword());
    }

    private Path keyStore(String name) {
        return dir.resolve(name + ".p12");
    }

    private Path trustStore() {
        return dir.resolve("truststore.p12");
    }

    private Path storePasswordFile() {
        return dir.resolve("store-password");
    }

    private String storePassword() {
        return read(storePasswordFile());
    }

    /** The password of a user of the stack (one of the five services); an error for any other name. */
    String userPassword(String user) {
        Path file = dir.resolve("user-" + user);
        if (!Files.exists(file)) {
            throw new IllegalStateException("no password for Kafka user " + user + " in " + dir);
        }
        return read(file);
    }

    private void keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Processes.run(command, Map.of(), KEYTOOL_TIMEOUT, dir);
    }

    private static void secret(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, HexFormat.of().formatHex(new SecureRandom().generateSeed(18)), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void writeProperties(Path file, Properties settings, String comment) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                settings.store(writer, comment);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** One rendered Strimzi {@code KafkaUser}: its name and its ACLs as Kafka bindings. */
    record KafkaUserSpec(String name, List<AclBinding> bindings) {

        /** Where tests/deploy renders the users from the services' declarations. */
        static final String RENDERED = "deploy/k8s/base/kafka/users.yaml";

        @SuppressWarnings("unchecked")
        static List<KafkaUserSpec> read(Path file) {
            List<KafkaUserSpec> users = new ArrayList<>();
            try (Reader reader = Files.newBufferedReader(file)) {
                for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                    Map<String, Object> object = (Map<String, Object>) document;
                    if (object == null || !"KafkaUser".equals(object.get("kind"))) {
                        continue;
                    }
                    String name = (String) ((Map<String, Object>) object.get("metadata")).get("name");
                    Map<String, Object> authorization = (Map<String, Object>) ((Map<String, Object>) object.get("spec"))
                            .get("authorization");
                    List<AclBinding> bindings = new ArrayList<>();
                    for (Map<String, Object> acl : (List<Map<String, Object>>) authorization.get("acls")) {
                        ResourcePattern pattern = pattern((Map<String, Object>) acl.get("resource"));
                        for (String operation : (List<String>) acl.get("operations")) {
                            bindings.add(new AclBinding(pattern, new AccessControlEntry("User:" + name, "*",
                                    operation(operation), AclPermissionType.ALLOW)));
                        }
                    }
                    users.add(new KafkaUserSpec(name, List.copyOf(bindings)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the Kafka users " + file, e);
            }
            if (users.isEmpty()) {
                throw new IllegalStateException("no KafkaUser in " + file);
            }
            return users;
        }

        private static ResourcePattern pattern(Map<String, Object> resource) {
            String type = (String) resource.get("type");
            PatternType patternType = "prefix".equals(resource.get("patternType")) ? PatternType.PREFIXED : PatternType.LITERAL;
            return switch (type) {
                case "topic" -> new ResourcePattern(ResourceType.TOPIC, (String) resource.get("name"), patternType);
                case "group" -> new ResourcePattern(ResourceType.GROUP, (String) resource.get("name"), patternType);
                case "transactionalId" -> new ResourcePattern(ResourceType.TRANSACTIONAL_ID, (String) resource.get("name"),
                        patternType);
                case "cluster" -> new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
                default -> throw new IllegalStateException("unknown ACL resource type " + type);
            };
        }

        /** Strimzi's operation names ({@code IdempotentWrite}) as Kafka's ({@code IDEMPOTENT_WRITE}). */
        static AclOperation operation(String strimzi) {
            return AclOperation.valueOf(strimzi.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
        }
    }
}
