package io.pgsnapman.service.catalog.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EveryTest {

    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

    @Test
    void maintenanceThatNeverRanIsDueAtOnce() {
        assertThat(new Every(Duration.ofDays(7)).due(null, NOW)).isTrue();
    }

    @Test
    void itIsDueOnceItsIntervalHasPassedSinceItLastRan() {
        Every weekly = new Every(Duration.ofDays(7));
        assertThat(weekly.due(NOW.minus(Duration.ofDays(7)).plusSeconds(1), NOW)).isFalse();
        assertThat(weekly.due(NOW.minus(Duration.ofDays(7)), NOW)).isTrue();
    }

    @Test
    void aZeroIntervalNeverRunsIt() {
        assertThat(Every.NEVER.due(null, NOW)).isFalse();
        assertThat(new Every(Duration.ZERO).due(NOW.minus(Duration.ofDays(365)), NOW)).isFalse();
    }

    @Test
    void aNegativeIntervalIsRefused() {
        assertThatThrownBy(() -> new Every(Duration.ofHours(-1))).hasMessageContaining("negative");
    }
}
