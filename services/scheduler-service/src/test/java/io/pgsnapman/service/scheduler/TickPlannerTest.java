package io.pgsnapman.service.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.JobState;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.config.RestoreJobTrigger;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TickPlannerTest {

    private final TickPlanner planner = new TickPlanner(Duration.ofMinutes(1));

    private static DumpJobConfig job(String cron, String zone, JobState state) {
        return DumpJobConfig.newBuilder(SampleEvents.dumpJobConfig()).setDumpJobId("job-a").setCron(cron)
                .setTimeZone(zone).setState(state).build();
    }

    @Test
    void aJobIsDueAtItsCronInstantInItsZone() {
        DumpJobConfig nightly = job("30 1 * * *", "America/New_York", JobState.ACTIVE);

        assertThat(planner.due(nightly, Instant.parse("2026-07-01T00:00:00Z"), Instant.parse("2026-07-01T05:29:59Z"))).isEmpty();
        assertThat(planner.due(nightly, Instant.parse("2026-07-01T00:00:00Z"), Instant.parse("2026-07-01T05:30:01Z")))
                .contains(new TickPlanner.Due(Instant.parse("2026-07-01T05:30:00Z"), false));
    }

    @Test
    void severalMissedInstantsFireOnceForTheLatestAsCatchUp() {
        DumpJobConfig hourly = job("0 * * * *", "UTC", JobState.ACTIVE);

        assertThat(planner.due(hourly, Instant.parse("2026-01-01T10:00:00Z"), Instant.parse("2026-01-01T14:10:00Z")))
                .contains(new TickPlanner.Due(Instant.parse("2026-01-01T14:00:00Z"), true));
    }

    @Test
    void theInstantAlreadyFiredIsNotFiredAgain() {
        DumpJobConfig hourly = job("0 * * * *", "UTC", JobState.ACTIVE);

        assertThat(planner.due(hourly, Instant.parse("2026-01-01T14:00:00Z"), Instant.parse("2026-01-01T14:59:59Z"))).isEmpty();
    }

    @Test
    void haltedJobsAreNeverDue() {
        DumpJobConfig halted = job("* * * * *", "UTC", JobState.HALTED);

        assertThat(planner.due(halted, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z"))).isEmpty();
    }

    private static RestoreJobConfig restoreJob(RestoreJobTrigger trigger, String cron) {
        return RestoreJobConfig.newBuilder(SampleEvents.restoreJobConfig()).setRestoreJobId("rjob-a").setTrigger(trigger)
                .setCron(cron).setTimeZone("Europe/Berlin").setState(JobState.ACTIVE).build();
    }

    @Test
    void aCronRestoreJobIsDueAtItsInstant() {
        RestoreJobConfig weekly = restoreJob(RestoreJobTrigger.CRON, "0 6 * * 1");

        assertThat(planner.due(weekly, Instant.parse("2026-07-01T00:00:00Z"), Instant.parse("2026-07-06T04:00:01Z")))
                .contains(new TickPlanner.Due(Instant.parse("2026-07-06T04:00:00Z"), false));
    }

    @Test
    void restoreJobsTriggeredByDumpsOrByHandAreNeverDueOnACron() {
        Instant last = Instant.parse("2026-07-01T00:00:00Z");
        Instant now = Instant.parse("2026-08-01T00:00:00Z");

        assertThat(planner.due(restoreJob(RestoreJobTrigger.ON_DUMP, "* * * * *"), last, now)).isEmpty();
        assertThat(planner.due(restoreJob(RestoreJobTrigger.MANUAL, "* * * * *"), last, now)).isEmpty();
        assertThat(planner.due(restoreJob(RestoreJobTrigger.CRON, null), last, now)).isEmpty();
    }

    @Test
    void restoreRequestIdIsTheRestoreJobAndTheInstant() {
        assertThat(TickPlanner.restoreRequestId("rjob-a", Instant.parse("2026-07-06T04:00:00Z")))
                .isEqualTo("rjob-a/20260706T040000Z");
    }

    @Test
    void dumpIdIsTheJobAndTheInstantInUtcBasicFormat() {
        assertThat(TickPlanner.dumpId("job-a", Instant.parse("2026-03-29T01:30:00Z"))).isEqualTo("job-a/20260329T013000Z");
    }
}
