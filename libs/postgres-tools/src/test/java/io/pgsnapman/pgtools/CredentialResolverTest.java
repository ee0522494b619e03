package io.pgsnapman.pgtools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialResolverTest {

    @Test
    void environmentVariableIsTheUpperCasedReference() {
        assertThat(CredentialResolver.environmentVariable("prod-orders.v2")).isEqualTo("PGSNAPMAN_CREDENTIAL_PROD_ORDERS_V2");
    }

    @Test
    void passwordComesFromTheEnvironment() {
        CredentialResolver resolver = new CredentialResolver(Map.of("PGSNAPMAN_CREDENTIAL_PROD", "pw1"), null);

        assertThat(resolver.resolve("prod")).contains("pw1");
        assertThat(resolver.resolve("other")).isEmpty();
        assertThat(resolver.resolve(null)).isEmpty();
    }

    @Test
    void referencesThatCouldEscapeTheCredentialsDirectoryAreRefused() {
        CredentialResolver resolver = new CredentialResolver(Map.of(), null);

        assertThatThrownBy(() -> resolver.resolve("../etc/shadow")).hasMessageContaining("not a plain name");
        assertThatThrownBy(() -> resolver.resolve("a/b")).hasMessageContaining("not a plain name");
    }
}
