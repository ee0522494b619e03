package io.pgsnapman.pgtools;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PgErrorClassifierTest {

    private final PgErrorClassifier classifier = new PgErrorClassifier();

    @ParameterizedTest(name = "{0} retriable={1}")
    @CsvSource({
            "08006, true", "08001, true", "57P01, true", "57P03, true", "53300, true", "40001, true", "40P01, true",
            "55P03, true", "28P01, false", "3D000, false", "42501, false", "42P01, false", "22P02, false"})
    void sqlStatesAreClassifiedByClass(String state, boolean retriable) {
        PgErrorClassifier.Classification c = classifier.classify(new SQLException("x", state));

        assertThat(c.retriable()).isEqualTo(retriable);
        assertThat(c.code()).isEqualTo(state);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "pg_dump: error: connection to server at \"db\" (10.0.0.1), port 5432 failed: FATAL:  database \"nope\" does not exist | 3D000 | false",
            "pg_dump: error: connection to server on socket failed: Connection refused | 08006 | true",
            "pg_dump: error: FATAL:  password authentication failed for user \"x\" | 28P01 | false",
            "pg_dump: error: query failed: ERROR:  permission denied for table secret | 42501 | false",
            "FATAL:  the database system is starting up | 57P03 | true",
            "pg_dump: error: query failed: ERROR:  canceling statement due to lock timeout | 55P03 | true",
            "FATAL:  sorry, too many connections for role | 53300 | true",
            "pg_dump: error: aborting because of server version mismatch | TOOL_VERSION | false",
            "something nobody has seen before | TOOL_FAILED | false"})
    void toolMessagesAreClassifiedByWhatTheySay(String stderr, String code, boolean retriable) {
        PgErrorClassifier.Classification c = classifier.classify(new ToolResult(1, "", stderr, Duration.ZERO, false));

        assertThat(c.code()).isEqualTo(code);
        assertThat(c.retriable()).isEqualTo(retriable);
    }

    @Test
    void aTimedOutToolIsRetriable() {
        PgErrorClassifier.Classification c = classifier.classify(new ToolResult(-1, "", "", Duration.ofHours(1), true));

        assertThat(c.retriable()).isTrue();
        assertThat(c.code()).isEqualTo("TOOL_TIMEOUT");
    }
}
