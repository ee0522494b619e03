package io.pgsnapman.service.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnapman.service.catalog.settings.CatalogServiceProperties;
import io.pgsnapman.testsupport.PropertiesBinding;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogServicePropertiesTest {

    private static final String PREFIX = "pgsnapman.catalog";

    @Test
    void everyKeyIsBound() {
        CatalogServiceProperties p = PropertiesBinding.bind(PREFIX, CatalogServiceProperties.class, Map.of(
                PREFIX + ".instance-id", "cat-1",
                PREFIX + ".auth.tokens[0].name", "dash",
                PREFIX + ".auth.tokens[0].role", "viewer",
                PREFIX + ".auth.tokens[0].token", "0123456789abcdef",
                PREFIX + ".auth.tokens-file", "/secrets/tokens",
                PREFIX + ".repository", "/data/repo",
                PREFIX + ".retries", "5",
                PREFIX + ".topics.partitions", "6",
                PREFIX + ".topics.replication-factor", "3"));

        assertThat(p.instanceId()).isEqualTo("cat-1");
        assertThat(p.auth().tokens()).singleElement().satisfies(t -> assertThat(t.role()).isEqualTo("viewer"));
        assertThat(p.auth().tokensFile()).isEqualTo(Path.of("/secrets/tokens"));
        assertThat(p.repository()).isEqualTo(Path.of("/data/repo"));
        assertThat(p.retries()).isEqualTo(5);
        assertThat(p.topics().partitions()).isEqualTo(6);
        assertThat(p.topics().replicationFactor()).isEqualTo((short) 3);
    }

    @Test
    void negativeRetriesAreRefused() {
        assertThatThrownBy(() -> PropertiesBinding.bind(PREFIX, CatalogServiceProperties.class, Map.of(PREFIX + ".retries", "-1")))
                .hasStackTraceContaining("retries");
    }
}
