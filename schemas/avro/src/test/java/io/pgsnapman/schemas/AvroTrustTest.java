package io.pgsnapman.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.restore.ExistingDatabasePolicy;
import io.pgsnapman.events.restore.RestoreOptions;
import io.pgsnapman.events.restore.RolePolicy;
import org.junit.jupiter.api.Test;

class AvroTrustTest {

    @Test
    void trustedEventClassesGetTheirEnumDefaultsFromTheBuilder() {
        // Given the event classes are trusted
        AvroTrust.trustEventClasses();

        // When a record is built with every field left to its default
        RestoreOptions options = RestoreOptions.newBuilder().build();

        // Then the schema's enum defaults are filled in (Avro instantiates the enum classes for this)
        assertThat(options.getExistingDatabase()).isEqualTo(ExistingDatabasePolicy.LEAVE);
        assertThat(options.getRoles()).isEqualTo(RolePolicy.NO_ROLE);
    }

    @Test
    void onlyTheNamedPackagesAreTrusted() {
        AvroTrust.trustEventClasses();

        assertThat(AvroTrust.isTrusted(RestoreOptions.class)).isTrue();
        assertThat(AvroTrust.isTrusted(java.io.File.class)).isFalse();
        assertThat(AvroTrust.isTrusted(Topics.class)).isFalse();
    }
}
