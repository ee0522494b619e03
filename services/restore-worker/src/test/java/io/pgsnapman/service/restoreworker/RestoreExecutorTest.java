package io.pgsnapman.service.restoreworker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RestoreExecutorTest {

    @Test
    void temporaryNamesFitPostgresLimitAndDifferPerRequest() {
        String longName = "a".repeat(63);
        String tmp = RestoreExecutor.temporaryName(longName, "req-1");

        assertThat(tmp).hasSizeLessThanOrEqualTo(63).contains("_pgsnapman_");
        assertThat(RestoreExecutor.temporaryName("shop", "req-1")).isNotEqualTo(RestoreExecutor.temporaryName("shop", "req-2"));
    }
}
