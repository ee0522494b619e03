package io.pgsnapman.service.catalog.verification;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.config.VerificationMode;
import io.pgsnapman.events.config.VerificationPolicy;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class VerificationPlannerTest {

    private static final Instant AT = Instant.parse("2026-11-30T02:00:00Z");

    private static VerificationPolicy.Builder policy(VerificationMode mode) {
        return VerificationPolicy.newBuilder().setMode(mode);
    }

    @Test
    void checksumsOnlyNeverAndEveryDumpAlwaysPlansATestRestore() {
        assertThat(VerificationPlanner.due(policy(VerificationMode.CHECKSUMS).build(), "j/1", 1, AT, Optional.empty())).isFalse();
        assertThat(VerificationPlanner.due(policy(VerificationMode.EVERY_DUMP).build(), "j/1", 7, AT, Optional.of(AT))).isTrue();
    }

    @Test
    void everyNthProvesTheFirstDumpThenEveryNthAfterIt() {
        VerificationPolicy third = policy(VerificationMode.EVERY_NTH).setEveryNth(3).build();

        assertThat(IntStream.rangeClosed(1, 7).filter(n -> VerificationPlanner.due(third, "j/" + n, n, AT, Optional.empty())))
                .containsExactly(1, 4, 7);
    }

    @Test
    void aPercentageTakesAboutThatShareOfDumpsAndDecidesTheSameForTheSameDump() {
        VerificationPolicy quarter = policy(VerificationMode.PERCENTAGE).setPercent(25).build();

        long taken = IntStream.range(0, 4000)
                .filter(n -> VerificationPlanner.due(quarter, "job/2026" + n, n, AT, Optional.empty())).count();

        assertThat(taken).isBetween(850L, 1150L);
        assertThat(VerificationPlanner.due(quarter, "job/x", 1, AT, Optional.empty()))
                .isEqualTo(VerificationPlanner.due(quarter, "job/x", 9, AT, Optional.empty()));
        assertThat(IntStream.range(0, 200).allMatch(n -> VerificationPlanner.due(
                policy(VerificationMode.PERCENTAGE).setPercent(100).build(), "j/" + n, n, AT, Optional.empty()))).isTrue();
    }

    @Test
    void aPeriodAllowsOneTestRestoreUntilItHasPassed() {
        VerificationPolicy daily = policy(VerificationMode.PERIOD).setPeriodHours(24).build();

        assertThat(VerificationPlanner.due(daily, "j/1", 1, AT, Optional.empty())).isTrue();
        assertThat(VerificationPlanner.due(daily, "j/2", 2, AT, Optional.of(AT.minusSeconds(23 * 3600)))).isFalse();
        assertThat(VerificationPlanner.due(daily, "j/3", 3, AT, Optional.of(AT.minusSeconds(24 * 3600)))).isTrue();
    }
}
