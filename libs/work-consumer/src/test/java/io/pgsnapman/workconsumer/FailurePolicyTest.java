package io.pgsnapman.workconsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FailurePolicyTest {

    private final SplittableRandom random = new SplittableRandom(7);

    @Test
    void theBackoffDoublesAfterEachFailureUpToTheCap() {
        FailurePolicy policy = new FailurePolicy(10, Duration.ofDays(1), Duration.ofSeconds(1), Duration.ofSeconds(5), 0);

        assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.backoff(4)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.backoff(200)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void jitterSpreadsEachWaitWithinItsFraction() {
        FailurePolicy policy = new FailurePolicy(10, Duration.ofDays(1), Duration.ofSeconds(10), Duration.ofSeconds(10), 0.2);

        for (int i = 0; i < 200; i++) {
            Duration wait = policy.retryAfter(1, Duration.ZERO, random).orElseThrow();
            assertThat(wait).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
        }
    }

    @Test
    void givesUpWhenTheAttemptsAreUsed() {
        FailurePolicy policy = new FailurePolicy(3, Duration.ofDays(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0);

        assertThat(policy.retryAfter(2, Duration.ZERO, random)).isPresent();
        assertThat(policy.retryAfter(3, Duration.ZERO, random)).isEmpty();
    }

    @Test
    void givesUpWhenTheNextAttemptWouldStartAfterTheDeadline() {
        FailurePolicy policy = new FailurePolicy(100, Duration.ofSeconds(10), Duration.ofSeconds(4), Duration.ofSeconds(4), 0);

        assertThat(policy.retryAfter(1, Duration.ofSeconds(6), random)).isEqualTo(Optional.of(Duration.ofSeconds(4)));
        assertThat(policy.retryAfter(2, Duration.ofSeconds(7), random)).isEmpty();
    }

    @Test
    void nonsenseSettingsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new FailurePolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
                .hasMessageContaining("attempts");
        assertThatThrownBy(() -> new FailurePolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1), 0))
                .hasMessageContaining("maxBackoff");
        assertThatThrownBy(() -> new FailurePolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 2))
                .hasMessageContaining("jitter");
    }
}
