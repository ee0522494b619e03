package io.pgsnapman.pgtools;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.Failure;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PgFailuresTest {

    @Test
    void aRefusedConnectionIsARetriableFailureWithItsSqlState() {
        Failure failure = PgFailures.of(new SQLException("Connection to 127.0.0.1:5 refused", "08001"));

        assertThat(failure.getCode()).isEqualTo("08001");
        assertThat(failure.getRetriable()).isTrue();
        assertThat(failure.getReason()).isEqualTo("Connection to 127.0.0.1:5 refused");
    }

    @Test
    void aFailedToolCarriesTheReasonItsExitCodeAndItsStderrAndIsClassifiedByItsMessage() {
        // Given pg_dump exiting 1 because the database does not exist
        ToolResult result = new ToolResult(1, "", "pg_dump: error: FATAL:  database \"ghost\" does not exist\n",
                Duration.ofSeconds(1), false);

        // When it becomes a failure
        Failure failure = PgFailures.ofTool("pg_dump", result, Duration.ofHours(6));

        // Then it is permanent, with the SQLSTATE its message implies
        assertThat(failure.getReason()).isEqualTo("pg_dump exited with 1");
        assertThat(failure.getExitCode()).isEqualTo(1);
        assertThat(failure.getStderrExcerpt()).isEqualTo("pg_dump: error: FATAL:  database \"ghost\" does not exist");
        assertThat(failure.getCode()).isEqualTo("3D000");
        assertThat(failure.getRetriable()).isFalse();
    }

    @Test
    void aToolWithoutStderrHasNoExcerptAndATimedOutOneIsRetriable() {
        Failure failure = PgFailures.ofTool("pg_restore", new ToolResult(-1, "", "  ", Duration.ofHours(24), true),
                Duration.ofHours(24));

        assertThat(failure.getReason()).isEqualTo("pg_restore timed out after PT24H");
        assertThat(failure.getStderrExcerpt()).isNull();
        assertThat(failure.getCode()).isEqualTo("TOOL_TIMEOUT");
        assertThat(failure.getRetriable()).isTrue();
    }
}
