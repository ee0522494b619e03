package io.pgsnapman.cron;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackupWindowTest {

    private final BackupWindow overnight = BackupWindow.of("23:00", "04:00", ZoneId.of("UTC"));

    @Test
    void aTickInsideAWindowSpanningMidnightIsDelayedButStaysInside() {
        Instant tick = Instant.parse("2026-05-01T23:30:00Z");
        SplittableRandom random = new SplittableRandom(7);

        assertThat(overnight.remainingAt(tick)).contains(Duration.ofMinutes(270));
        for (int i = 0; i < 200; i++) {
            Instant start = overnight.delayed(tick, random);
            assertThat(start).isAfterOrEqualTo(tick).isBefore(Instant.parse("2026-05-02T04:00:00Z"));
        }
    }

    @Test
    void aTickOutsideTheWindowIsNotDelayed() {
        Instant tick = Instant.parse("2026-05-01T12:00:00Z");

        assertThat(overnight.remainingAt(tick)).isEmpty();
        assertThat(overnight.delayed(tick, new SplittableRandom(1))).isEqualTo(tick);
    }

    @Test
    void malformedTimesAreExplained() {
        assertThat(BackupWindow.problemWithTime("25:00")).isPresent();
        assertThat(BackupWindow.problemWithTime("7:00")).hasValueSatisfying(m -> assertThat(m).contains("HH:mm"));
        assertThat(BackupWindow.problemWithTime("07:00")).isEmpty();
    }
}
