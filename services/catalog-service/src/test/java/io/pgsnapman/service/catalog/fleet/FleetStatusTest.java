package io.pgsnapman.service.catalog.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.JobState;
import io.pgsnapman.service.catalog.store.FleetStore;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetStatusTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private static DumpJobConfig job(String id, String name, JobState state) {
        return DumpJobConfig.newBuilder(SampleEvents.dumpJobConfig()).setDumpJobId(id).setName(name).setServerId("srv-1")
                .setCron("0 2 * * *").setTimeZone("UTC").setState(state).setVerify(true).build();
    }

    private static FleetStore.JobDumps dumps(String job, long verifiedHoursAgo, String outcome, String verification) {
        Instant newest = verifiedHoursAgo < 0 ? null : NOW.minusSeconds(verifiedHoursAgo * 3600);
        return new FleetStore.JobDumps(job, "srv-1", newest, newest, newest == null ? 0 : 1, 1, 0, 100,
                new FleetStore.LatestDump(job + "/latest", NOW.minusSeconds(3600), NOW.minusSeconds(3000), outcome,
                        verification, 1000, 100, "FAILED".equals(outcome) ? "pg_dump: connection refused" : null));
    }

    private static List<FleetEntry> judge(List<FleetStore.JobDumps> dumps, List<DumpJobConfig> jobs) {
        return FleetStatus.of(dumps, jobs, id -> id.equals("srv-1") ? "production" : id, NOW);
    }

    @Test
    void failuresComeFirstThenLateJobsThenTheRest() {
        // Given a healthy nightly job, one whose last verified dump is 40 h old, one whose latest dump failed, and a halted one
        List<FleetEntry> fleet = judge(
                List.of(dumps("job-ok", 10, "SUCCEEDED", "VERIFIED"), dumps("job-late", 40, "SUCCEEDED", "NOT_VERIFIED"),
                        dumps("job-failed", 10, "FAILED", "NOT_VERIFIED"), dumps("job-halted", 400, "SUCCEEDED", "VERIFIED")),
                List.of(job("job-ok", "a-ok", JobState.ACTIVE), job("job-late", "b-late", JobState.ACTIVE),
                        job("job-failed", "c-failed", JobState.ACTIVE), job("job-halted", "d-halted", JobState.HALTED)));

        // Then the failed one is first with its reason, the late one second, the halted one last
        assertThat(fleet).extracting(FleetEntry::dumpJobId).containsExactly("job-failed", "job-late", "job-ok", "job-halted");
        assertThat(fleet).extracting(FleetEntry::health)
                .containsExactly(JobHealth.FAILED, JobHealth.LATE, JobHealth.OK, JobHealth.HALTED);
        assertThat(fleet.get(0).reason()).isEqualTo("latest dump FAILED: pg_dump: connection refused");
        assertThat(fleet.get(1).reason()).isEqualTo("newest verified dump is 1 d 16 h old; the schedule runs every 1 d 0 h");
        assertThat(fleet.get(1).newestVerifiedAgeSeconds()).isEqualTo(40 * 3600);
        assertThat(fleet.get(1).intervalSeconds()).isEqualTo(86_400);
        assertThat(fleet.get(3).intervalSeconds()).isNull();
        assertThat(fleet.get(2).serverName()).isEqualTo("production");
    }

    @Test
    void aDumpFoundWrongFailsItsJobAndAJobWithoutAVerifiedDumpIsUnverified() {
        List<FleetEntry> fleet = judge(
                List.of(dumps("job-wrong", 5, "SUCCEEDED", "VERIFICATION_FAILED"), dumps("job-new", -1, "SUCCEEDED", "NOT_VERIFIED")),
                List.of(job("job-wrong", "wrong", JobState.ACTIVE), job("job-new", "new", JobState.ACTIVE),
                        job("job-empty", "empty", JobState.ACTIVE)));

        assertThat(fleet).extracting(FleetEntry::health).containsExactly(JobHealth.FAILED, JobHealth.UNVERIFIED, JobHealth.OK);
        assertThat(fleet.get(0).reason()).startsWith("latest dump VERIFICATION_FAILED");
        assertThat(fleet.get(2).reason()).isEqualTo("no dump yet");
        assertThat(fleet.get(2).lastDump()).isNull();
    }

    @Test
    void aJobDeletedFromTheConfigurationIsListedLastWhileItHasDumps() {
        List<FleetEntry> fleet = judge(List.of(dumps("job-gone", 5, "SUCCEEDED", "VERIFIED")), List.of());

        assertThat(fleet).singleElement().satisfies(e -> {
            assertThat(e.health()).isEqualTo(JobHealth.DELETED);
            assertThat(e.name()).isNull();
            assertThat(e.kept().total()).isEqualTo(2);
            assertThat(e.storedBytes()).isEqualTo(100);
        });
    }
}
