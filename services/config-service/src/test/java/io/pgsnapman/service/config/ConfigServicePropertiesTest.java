package io.pgsnapman.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnapman.service.config.settings.ConfigServiceProperties;
import io.pgsnapman.testsupport.PropertiesBinding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigServicePropertiesTest {

    private static final String PREFIX = "pgsnapman.config-service";

    @Test
    void everyKeyIsBound() {
        ConfigServiceProperties p = PropertiesBinding.bind(PREFIX, ConfigServiceProperties.class, Map.ofEntries(
                Map.entry(PREFIX + ".instance-id", "config-7"),
                Map.entry(PREFIX + ".auth.tokens[0].name", "ci"),
                Map.entry(PREFIX + ".auth.tokens[0].role", "operator"),
                Map.entry(PREFIX + ".auth.tokens[0].token", "0123456789abcdef"),
                Map.entry(PREFIX + ".auth.tokens-file", "/var/run/secrets/pgsnapman/tokens"),
                Map.entry(PREFIX + ".outbox.poll-interval", "1s"),
                Map.entry(PREFIX + ".outbox.batch-size", "50"),
                Map.entry(PREFIX + ".topics.partitions", "6"),
                Map.entry(PREFIX + ".topics.lag-every", "45s"),
                Map.entry(PREFIX + ".topics.replication-factor", "3"),
                Map.entry(PREFIX + ".auto-dump-jobs.enabled", "false"),
                Map.entry(PREFIX + ".auto-dump-jobs.interval", "10m"),
                Map.entry(PREFIX + ".credentials-dir", "/var/run/secrets/pgsnapman/credentials")));

        assertThat(p.instanceId()).isEqualTo("config-7");
        assertThat(p.auth().tokens()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("ci");
            assertThat(t.role()).isEqualTo("operator");
            assertThat(t.toString()).doesNotContain("0123456789abcdef");
        });
        assertThat(p.auth().tokensFile()).isEqualTo(Path.of("/var/run/secrets/pgsnapman/tokens"));
        assertThat(p.outbox().pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.outbox().batchSize()).isEqualTo(50);
        assertThat(p.topics().partitions()).isEqualTo(6);
        assertThat(p.topics().lagEvery()).isEqualTo(Duration.ofSeconds(45));
        assertThat(p.topics().replicationFactor()).isEqualTo((short) 3);
        assertThat(p.autoDumpJobs().enabled()).isFalse();
        assertThat(p.autoDumpJobs().interval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(p.credentialsDir()).isEqualTo(Path.of("/var/run/secrets/pgsnapman/credentials"));
    }

    @Test
    void defaultsAreDocumentedValues() {
        ConfigServiceProperties p = PropertiesBinding.bind(PREFIX, ConfigServiceProperties.class, Map.of());

        assertThat(p.instanceId()).isEqualTo("config-service");
        assertThat(p.auth().tokens()).isEmpty();
        assertThat(p.outbox().pollInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(p.outbox().batchSize()).isEqualTo(200);
        assertThat(p.topics().partitions()).isEqualTo(3);
        assertThat(p.autoDumpJobs().interval()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aShortTokenOrUnknownRoleIsRefused() {
        assertThatThrownBy(() -> PropertiesBinding.bind(PREFIX, ConfigServiceProperties.class, Map.of(
                        PREFIX + ".auth.tokens[0].name", "ci",
                        PREFIX + ".auth.tokens[0].role", "root",
                        PREFIX + ".auth.tokens[0].token", "short")))
                .hasStackTraceContaining("role")
                .hasStackTraceContaining("token");
    }
}
