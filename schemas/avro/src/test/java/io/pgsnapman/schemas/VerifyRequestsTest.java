package io.pgsnapman.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerifyRequestsTest {

    @Test
    void aNewRequestsScratchDatabaseIsAValidUniqueNameMarkedAsScratch() {
        // Given two new request ids
        String a = VerifyRequests.newRequestId();
        String b = VerifyRequests.newRequestId();

        // When their scratch databases are named
        String scratchA = VerifyRequests.scratchDatabase(a);
        String scratchB = VerifyRequests.scratchDatabase(b);

        // Then each is a plain lower-case identifier under 64 characters, recognised as scratch, and they differ
        assertThat(scratchA).matches("pgsnapman_verify_[0-9a-f]{32}").isNotEqualTo(scratchB);
        assertThat(VerifyRequests.isScratch(scratchA)).isTrue();
        assertThat(VerifyRequests.isScratch("shop")).isFalse();
        assertThat(VerifyRequests.isScratch(null)).isFalse();
    }
}
