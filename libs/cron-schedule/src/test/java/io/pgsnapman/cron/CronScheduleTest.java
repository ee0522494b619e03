package io.pgsnapman.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    @Test
    void theLongestGapOfAWorkdayScheduleIsTheWeekend() {
        // Given a dump at 22:00 on weekdays only
        CronSchedule weekdays = CronSchedule.parse("0 22 * * 1-5", "UTC");

        // When its longest gap over the next week is asked for
        // Then it is Friday 22:00 to Monday 22:00, not one day
        assertThat(weekdays.longestGap(Instant.parse("2026-11-30T12:00:00Z"), java.time.Duration.ofDays(8)))
                .contains(java.time.Duration.ofDays(3));
    }

    @Test
    void aYearlyScheduleHasAGapOfAYearBeyondTheHorizonAndOneThatNeverRepeatsHasNone() {
        assertThat(CronSchedule.parse("0 0 1 1 *", "UTC").longestGap(Instant.parse("2026-11-30T12:00:00Z"),
                java.time.Duration.ofDays(8))).contains(java.time.Duration.ofDays(365));
        assertThat(CronSchedule.parse("0 0 30 2 *", "UTC").longestGap(Instant.parse("2026-11-30T12:00:00Z"),
                java.time.Duration.ofDays(8))).isEmpty();
    }

    @Test
    void fiveFieldExpressionFiresAtTheLocalTimeOfItsZone() {
        CronSchedule nightly = CronSchedule.parse("30 1 * * *", "America/New_York");

        assertThat(nightly.nextAfter(Instant.parse("2026-07-01T00:00:00Z")))
                .contains(Instant.parse("2026-07-01T05:30:00Z"));
    }

    @Test
    void springForwardGapFiresOnceAfterTheGap() {
        // 02:30 does not exist in Berlin on 2026-03-29 (clocks jump from 02:00 to 03:00)
        CronSchedule schedule = CronSchedule.parse("30 2 * * *", "Europe/Berlin");

        List<Instant> firings = firings(schedule, "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z");

        assertThat(firings).containsExactly(Instant.parse("2026-03-29T01:00:00Z")); // 03:00 CEST, when the gap ends
    }

    @Test
    void fallBackRepeatedHourFiresOnceAtItsFirstOccurrence() {
        // 02:30 happens twice in Berlin on 2026-10-25: 02:30 CEST (00:30Z), then 02:30 CET (01:30Z)
        CronSchedule schedule = CronSchedule.parse("30 2 * * *", "Europe/Berlin");

        List<Instant> firings = firings(schedule, "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z");

        assertThat(firings).containsExactly(Instant.parse("2026-10-25T00:30:00Z"));
    }

    @Test
    void latestFiringBeforeAMomentIsFoundForCatchUp() {
        CronSchedule hourly = CronSchedule.parse("0 * * * *", "UTC");

        assertThat(hourly.latestAtOrBefore(Instant.parse("2026-01-01T05:59:00Z"), Instant.parse("2026-01-01T02:10:00Z")))
                .contains(Instant.parse("2026-01-01T05:00:00Z"));
        assertThat(hourly.latestAtOrBefore(Instant.parse("2026-01-01T02:30:00Z"), Instant.parse("2026-01-01T02:10:00Z")))
                .isEmpty();
    }

    @Test
    void wrongFieldCountAndUnknownZoneAreExplained() {
        assertThat(CronSchedule.problemWithExpression("0 0 1 * * *")).hasValueSatisfying(
                m -> assertThat(m).contains("6 fields; expected 5"));
        assertThat(CronSchedule.problemWithExpression("61 * * * *")).isPresent();
        assertThat(CronSchedule.problemWithExpression("*/15 * * * 1-5")).isEmpty();
        assertThat(CronSchedule.problemWithExpression("@daily")).isEmpty();
        assertThatThrownBy(() -> CronSchedule.parse("0 1 * * *", "Mars/Olympus"))
                .hasMessageContaining("unknown time zone 'Mars/Olympus'");
    }

    private static List<Instant> firings(CronSchedule schedule, String from, String to) {
        List<Instant> out = new ArrayList<>();
        Instant cursor = Instant.parse(from);
        Instant end = Instant.parse(to);
        while (true) {
            Instant next = schedule.nextAfter(cursor).orElseThrow();
            if (next.isAfter(end)) {
                return out;
            }
            out.add(next);
            cursor = next;
        }
    }
}
