package io.pgsnapman.pgtools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PgConnectionTest {

    @Test
    void toolsGetThePasswordThroughTheEnvironmentButToStringNeverShowsIt() {
        PgConnection connection = new PgConnection("db1", 6432, "backup", "orders", "require", "s3cr3t-pw");

        assertThat(connection.environment("pgsnapman")).containsEntry("PGPASSWORD", "s3cr3t-pw")
                .containsEntry("PGHOST", "db1").containsEntry("PGPORT", "6432").containsEntry("PGSSLMODE", "require");
        assertThat(connection.toString()).doesNotContain("s3cr3t-pw").contains("password set");
    }

    @Test
    void withoutPasswordLibpqFallsBackToPgpass() {
        PgConnection connection = new PgConnection("db1", 5432, "backup", "orders", "prefer", null);

        assertThat(connection.environment("pgsnapman")).doesNotContainKey("PGPASSWORD");
    }

    @Test
    void invalidSslModeAndPortAreRefused() {
        assertThatThrownBy(() -> new PgConnection("h", 5432, "u", "d", "maybe", null)).hasMessageContaining("sslmode");
        assertThatThrownBy(() -> new PgConnection("h", 70000, "u", "d", "prefer", null)).hasMessageContaining("port");
    }
}
