package io.pgsnapman.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnapman.registry.client.RegistryClientSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {

    @Test
    void everyKeyIsReadIntoTheTypedSettings() {
        // Given every key set to a non-default value
        Map<String, Object> props = Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://a:8081, https://b:8443/apis/ccompat/v7/",
                AvroSerdeConfig.BASIC_AUTH_USER_INFO, "svc:s3cr3t",
                AvroSerdeConfig.TRUSTSTORE_LOCATION, "/etc/pgsnapman/registry.p12",
                AvroSerdeConfig.TRUSTSTORE_PASSWORD_KEY, "changeit",
                AvroSerdeConfig.TRUSTSTORE_TYPE, "JKS",
                AvroSerdeConfig.REQUEST_TIMEOUT_MS, "1234",
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false",
                AvroSerdeConfig.SUBJECT_NAME_STRATEGY, "topic-name",
                AvroSerdeConfig.SPECIFIC_AVRO_READER, "true",
                AvroSerdeConfig.TRUSTED_PACKAGES, "io.pgsnapman,com.example.events");

        // When they are loaded
        AvroSerdeConfig config = new AvroSerdeConfig(props);
        RegistryClientSettings settings = config.registrySettings();

        // Then each shows up typed
        assertThat(settings.urls()).extracting(Object::toString)
                .containsExactly("http://a:8081", "https://b:8443/apis/ccompat/v7");
        assertThat(settings.basicAuthUserInfo()).contains("svc:s3cr3t");
        assertThat(settings.trustStore()).contains(Path.of("/etc/pgsnapman/registry.p12"));
        assertThat(settings.trustStorePassword()).contains("changeit");
        assertThat(settings.trustStoreType()).isEqualTo("JKS");
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofMillis(1234));
        assertThat(config.autoRegisterSchemas()).isFalse();
        assertThat(config.specificAvroReader()).isTrue();
        assertThat(config.trustedPackages()).isEqualTo(List.of("io.pgsnapman", "com.example.events"));
    }

    @Test
    void defaultsAreGenericReadingWithAutoRegistration() {
        AvroSerdeConfig config = new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://r:8081"));

        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.specificAvroReader()).isFalse();
        assertThat(config.trustedPackages()).containsExactly("io.pgsnapman");
        assertThat(config.registrySettings().basicAuthUserInfo()).isEmpty();
    }

    @Test
    void missingRegistryUrlIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(AvroSerdeConfig.SCHEMA_REGISTRY_URL);
    }

    @Test
    void unsupportedSubjectStrategyIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> new AvroSerdeConfig(Map.of(
                        AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://r:8081",
                        AvroSerdeConfig.SUBJECT_NAME_STRATEGY, "record-name")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(AvroSerdeConfig.SUBJECT_NAME_STRATEGY)
                .hasMessageContaining("record-name");
    }

    @Test
    void registryUrlWithoutHttpSchemeIsRefused() {
        AvroSerdeConfig config = new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "registry:8081"));

        assertThatThrownBy(config::registrySettings)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("registry:8081")
                .hasMessageContaining("http://");
    }

    @Test
    void subjectsFollowTheTopicNameStrategy() {
        assertThat(AvroSerdeConfig.subject("pgsnapman.activity", false)).isEqualTo("pgsnapman.activity-value");
        assertThat(AvroSerdeConfig.subject("pgsnapman.activity", true)).isEqualTo("pgsnapman.activity-key");
    }

    @Test
    void settingsNeverPrintTheBasicAuthSecret() {
        RegistryClientSettings settings = RegistryClientSettings.builder("http://r:8081").basicAuth("svc:s3cr3t").build();

        assertThat(settings.toString()).doesNotContain("s3cr3t").contains("basicAuth=true");
    }
}
