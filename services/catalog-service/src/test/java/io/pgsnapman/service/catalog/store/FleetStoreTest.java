package io.pgsnapman.service.catalog.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FleetStoreTest {

    @Test
    void aFailureReasonQuotesTheLastLineTheToolWroteToStderr() {
        String stderr = "pg_dump: error: connection to server failed\npg_dump: detail: database \"ghost\" does not exist\n\n";

        assertThat(FleetStore.failure("pg_dump exited with 1", stderr))
                .isEqualTo("pg_dump exited with 1 — pg_dump: detail: database \"ghost\" does not exist");
    }

    @Test
    void withoutStderrTheReasonStaysAsItIsAndALongLineIsCut() {
        assertThat(FleetStore.failure("server unavailable", null)).isEqualTo("server unavailable");
        assertThat(FleetStore.failure("server unavailable", "  \n")).isEqualTo("server unavailable");
        assertThat(FleetStore.failure(null, "anything")).isNull();
        assertThat(FleetStore.failure("x", "y".repeat(1000))).hasSize("x — ".length() + FleetStore.STDERR_LINE_LIMIT + 1);
    }
}
