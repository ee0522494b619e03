package io.pgsnapman.service.dumpworker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DumpExecutorTest {

    @Test
    void namesArePassedToPgDumpAsExactQuotedPatterns() {
        assertThat(DumpExecutor.quotedPattern("Sales 2026")).isEqualTo("\"Sales 2026\"");
        assertThat(DumpExecutor.quotedPattern("we\"ird")).isEqualTo("\"we\"\"ird\"");
        assertThat(DumpExecutor.qualifiedPattern("audit.Log*")).isEqualTo("\"audit\".\"Log*\"");
    }
}
