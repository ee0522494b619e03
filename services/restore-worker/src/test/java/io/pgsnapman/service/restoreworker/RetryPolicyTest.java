package io.pgsnapman.service.restoreworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnapman.events.Failure;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofSeconds(30), Duration.ofSeconds(100));

    private static RestoreCompleted outcome(Outcome outcome, Boolean retriable) {
        RestoreCompleted.Builder b = RestoreCompleted.newBuilder(SampleEvents.restoreCompleted()).setOutcome(outcome)
                .setFailure(null);
        if (retriable != null) {
            b.setFailure(Failure.newBuilder().setReason("connection refused").setCode("08001").setRetriable(retriable).build());
        }
        return b.build();
    }

    @Test
    void aRetriableFailureIsTriedAgainWithADelayThatDoublesUpToTheCap() {
        RestoreCompleted refused = outcome(Outcome.FAILED, true);

        assertThat(policy.delayAfter(1, refused)).contains(Duration.ofSeconds(30));
        assertThat(policy.delayAfter(2, refused)).contains(Duration.ofSeconds(60));
        assertThat(policy.delayAfter(3, refused)).contains(Duration.ofSeconds(100));
    }

    @Test
    void theLastAttemptIsFinal() {
        assertThat(policy.delayAfter(4, outcome(Outcome.FAILED, true))).isEmpty();
        assertThat(new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(1)).delayAfter(1, outcome(Outcome.FAILED, true)))
                .isEmpty();
    }

    @Test
    void aPermanentFailureIsFinalAtOnce() {
        assertThat(policy.delayAfter(1, outcome(Outcome.FAILED, false))).isEmpty();
        assertThat(policy.delayAfter(1, outcome(Outcome.FAILED, null))).isEmpty();
    }

    @Test
    void successAndRejectionAreFinalAtOnce() {
        assertThat(policy.delayAfter(1, outcome(Outcome.SUCCEEDED, null))).isEmpty();
        assertThat(policy.delayAfter(1, outcome(Outcome.REJECTED, true))).isEmpty();
    }

    @Test
    void nonsensicalSettingsAreRefused() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessageContaining("attempts");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                .hasMessageContaining("negative");
    }
}
