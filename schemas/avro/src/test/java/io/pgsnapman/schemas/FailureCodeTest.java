package io.pgsnapman.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.Failure;
import org.junit.jupiter.api.Test;

class FailureCodeTest {

    @Test
    void aFailureOfACodeCarriesItsNameItsRetriabilityAndTheReason() {
        // When failures are made from a permanent and a retriable code
        Failure damaged = FailureCode.CHECKSUM_MISMATCH.failure("toc.dat differs").setField("dumpId").build();
        Failure slow = FailureCode.TOOL_TIMEOUT.failure("pg_dump ran 24h").build();

        // Then each says what the catalogue says
        assertThat(damaged.getCode()).isEqualTo("CHECKSUM_MISMATCH");
        assertThat(damaged.getRetriable()).isFalse();
        assertThat(damaged.getReason()).isEqualTo("toc.dat differs");
        assertThat(damaged.getField()).isEqualTo("dumpId");
        assertThat(slow.getRetriable()).isTrue();
    }

    @Test
    void connectionResourceShutdownLockAndSerializationStatesAreRetriableAndOthersAreNot() {
        assertThat(FailureCode.retriableSqlState("08006")).isTrue();
        assertThat(FailureCode.retriableSqlState("08001")).isTrue();
        assertThat(FailureCode.retriableSqlState("53300")).isTrue();
        assertThat(FailureCode.retriableSqlState("57P01")).isTrue();
        assertThat(FailureCode.retriableSqlState("57P03")).isTrue();
        assertThat(FailureCode.retriableSqlState("40001")).isTrue();
        assertThat(FailureCode.retriableSqlState("40P01")).isTrue();
        assertThat(FailureCode.retriableSqlState("55P03")).isTrue();
        assertThat(FailureCode.retriableSqlState("57014")).as("query canceled").isFalse();
        assertThat(FailureCode.retriableSqlState("28P01")).as("bad password").isFalse();
        assertThat(FailureCode.retriableSqlState("3D000")).as("no such database").isFalse();
        assertThat(FailureCode.retriableSqlState("42501")).as("permission denied").isFalse();
    }

    @Test
    void aCodeIsEitherCataloguedOrASqlState() {
        assertThat(FailureCode.of("UNKNOWN_TARGET")).contains(FailureCode.UNKNOWN_TARGET);
        assertThat(FailureCode.of("08006")).isEmpty();
        assertThat(FailureCode.isSqlState("08006")).isTrue();
        assertThat(FailureCode.isSqlState("JDBC")).isFalse();
        assertThat(FailureCode.isSqlState("NOT_A_CODE")).isFalse();
        assertThat(FailureCode.isSqlState(null)).isFalse();
    }
}
