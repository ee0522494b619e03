package io.pgsnapman.registry.serde;

import io.pgsnapman.registry.client.RegistryClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Typed, validated configuration of {@link AvroSerializer} and {@link AvroDeserializer}, read from the
 * Kafka client properties. Key names follow Confluent's serde where one exists, so existing client
 * configurations carry over. An invalid value fails {@code configure} with the key and the reason.
 */
public final class AvroSerdeConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD_KEY = "schema.registry.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String SUBJECT_NAME_STRATEGY = "subject.name.strategy";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String TRUSTED_PACKAGES = "avro.trusted.packages";

    /** The only subject strategy: {@code <topic>-key} / {@code <topic>-value}. */
    public static final String TOPIC_NAME_STRATEGY = "topic-name";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, (name, value) -> {
                        if (value == null || ((List<?>) value).isEmpty()) {
                            throw new ConfigException(name, value, "at least one schema registry URL is required");
                        }
                    }, Importance.HIGH,
                    "Comma-separated base URLs of the schema registry (Confluent REST API); tried in order until one answers.")
            .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
                    "HTTP basic auth for the registry as user:password. Never logged.")
            .define(TRUSTSTORE_LOCATION, Type.STRING, null, Importance.LOW,
                    "Trust store to verify the registry's TLS certificate; absent: the JVM default trust.")
            .define(TRUSTSTORE_PASSWORD_KEY, Type.PASSWORD, null, Importance.LOW, "Password of the trust store.")
            .define(TRUSTSTORE_TYPE, Type.STRING, "PKCS12", Importance.LOW, "Type of the trust store (PKCS12, JKS).")
            .define(REQUEST_TIMEOUT_MS, Type.LONG, 30_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Time-out of one registry request, in milliseconds.")
            .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Serializer: register the record's schema if the subject lacks it. When false the schema must be registered already.")
            .define(SUBJECT_NAME_STRATEGY, Type.STRING, TOPIC_NAME_STRATEGY, ConfigDef.ValidString.in(TOPIC_NAME_STRATEGY),
                    Importance.LOW, "How subjects are named; only topic-name (<topic>-key, <topic>-value) is supported.")
            .define(SPECIFIC_AVRO_READER, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Deserializer: return generated SpecificRecord classes (true) or GenericRecord (false).")
            .define(TRUSTED_PACKAGES, Type.LIST, "io.pgsnapman", Importance.LOW,
                    "Packages whose generated classes Avro may instantiate when reading specific records.");

    public AvroSerdeConfig(Map<String, ?> properties) {
        super(DEFINITION, properties, false);
    }

    /** The definition of every key, with defaults and documentation. */
    public static ConfigDef definition() {
        return DEFINITION;
    }

    /** Registry connection settings derived from these properties. */
    public RegistryClientSettings registrySettings() {
        RegistryClientSettings.Builder builder = RegistryClientSettings.builder(
                getList(SCHEMA_REGISTRY_URL).toArray(String[]::new));
        Password userInfo = getPassword(BASIC_AUTH_USER_INFO);
        if (userInfo != null) {
            builder.basicAuth(userInfo.value());
        }
        String trustStore = getString(TRUSTSTORE_LOCATION);
        if (trustStore != null && !trustStore.isBlank()) {
            Password password = getPassword(TRUSTSTORE_PASSWORD_KEY);
            builder.trustStore(Path.of(trustStore), password == null ? null : password.value(), getString(TRUSTSTORE_TYPE));
        }
        return builder.requestTimeout(Duration.ofMillis(getLong(REQUEST_TIMEOUT_MS))).build();
    }

    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS);
    }

    public boolean specificAvroReader() {
        return getBoolean(SPECIFIC_AVRO_READER);
    }

    public List<String> trustedPackages() {
        return getList(TRUSTED_PACKAGES);
    }

    /** Subject of a topic's keys or values under the topic-name strategy. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
