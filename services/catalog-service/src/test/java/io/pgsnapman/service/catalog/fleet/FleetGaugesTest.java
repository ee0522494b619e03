package io.pgsnapman.service.catalog.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.JobState;
import io.pgsnapman.metrics.Metric;
import io.pgsnapman.service.catalog.store.FleetStore;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetGaugesTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final FleetStore.LatestDump LATEST = new FleetStore.LatestDump("d-1", NOW.minusSeconds(7200),
            NOW.minusSeconds(7000), "SUCCEEDED", "VERIFIED", 10, 5, null);

    private static DumpJobConfig job(String id, String cron, JobState state, boolean verify) {
        return DumpJobConfig.newBuilder(SampleEvents.dumpJobConfig()).setDumpJobId(id).setName("name of " + id)
                .setServerId("srv-1").setCron(cron).setTimeZone("UTC").setState(state).setVerify(verify).build();
    }

    private static Map<Metric, List<FleetGauges.Row>> rows(List<FleetStore.JobDumps> dumps, List<DumpJobConfig> jobs) {
        return FleetGauges.rows(FleetStatus.of(dumps, jobs, id -> id.equals("srv-1") ? "production" : id, NOW), jobs);
    }

    @Test
    void theAgeIsThatOfTheNewestVerifiedDumpAndTheIntervalThatOfTheSchedule() {
        // Given a nightly job whose newest verified dump finished 30 hours ago (a newer one is only NOT_VERIFIED)
        FleetStore.JobDumps dumps = new FleetStore.JobDumps("job-1", "srv-1", NOW.minusSeconds(30 * 3600),
                NOW.minusSeconds(6 * 3600), 3, 1, 0, 5000, LATEST);

        // When the gauges are computed
        Map<Metric, List<FleetGauges.Row>> rows = rows(List.of(dumps), List.of(job("job-1", "0 2 * * *", JobState.ACTIVE, true)));

        // Then the age counts from the verified one, the interval is a day, and the server is named
        assertThat(rows.get(Metric.NEWEST_VERIFIED_DUMP_AGE))
                .containsExactly(new FleetGauges.Row(List.of("job-1", "production"), 30 * 3600));
        assertThat(rows.get(Metric.DUMP_JOB_INTERVAL)).containsExactly(new FleetGauges.Row(List.of("job-1", "production"), 86400));
        assertThat(rows.get(Metric.DUMP_JOB_INFO))
                .containsExactly(new FleetGauges.Row(List.of("job-1", "production", "name of job-1", "ACTIVE"), 1));
        assertThat(rows.get(Metric.CATALOG_DUMPS)).contains(new FleetGauges.Row(List.of("job-1", "VERIFIED"), 3),
                new FleetGauges.Row(List.of("job-1", "NOT_VERIFIED"), 1), new FleetGauges.Row(List.of("job-1", "VERIFICATION_FAILED"), 0));
        assertThat(rows.get(Metric.CATALOG_STORED_BYTES)).containsExactly(new FleetGauges.Row(List.of("job-1"), 5000));
    }

    @Test
    void aJobThatDoesNotVerifyIsJudgedByItsNewestSuccessfulDump() {
        FleetStore.JobDumps dumps = new FleetStore.JobDumps("job-2", "srv-1", null, NOW.minusSeconds(600), 0, 2, 0, 10, LATEST);

        Map<Metric, List<FleetGauges.Row>> rows = rows(List.of(dumps), List.of(job("job-2", "0 * * * *", JobState.ACTIVE, false)));

        assertThat(rows.get(Metric.NEWEST_VERIFIED_DUMP_AGE)).containsExactly(new FleetGauges.Row(List.of("job-2", "production"), 600));
    }

    @Test
    void aJobWithoutAVerifiedDumpHasNoAgeSoTheAlertSeesItAsMissing() {
        FleetStore.JobDumps dumps = new FleetStore.JobDumps("job-3", "srv-1", null, NOW.minusSeconds(60), 0, 1, 0, 10, LATEST);

        Map<Metric, List<FleetGauges.Row>> rows = rows(List.of(dumps), List.of(job("job-3", "0 * * * *", JobState.ACTIVE, true)));

        assertThat(rows.get(Metric.NEWEST_VERIFIED_DUMP_AGE)).isEmpty();
        assertThat(rows.get(Metric.DUMP_JOB_INTERVAL)).hasSize(1);
    }

    @Test
    void aHaltedJobHasNoIntervalAndADeletedJobKeepsItsDumpSeriesOnly() {
        FleetStore.JobDumps gone = new FleetStore.JobDumps("job-gone", "srv-9", NOW.minusSeconds(100), NOW.minusSeconds(100), 1, 0, 0, 7, LATEST);

        Map<Metric, List<FleetGauges.Row>> rows = rows(List.of(gone), List.of(job("job-4", "0 * * * *", JobState.HALTED, true)));

        assertThat(rows.get(Metric.DUMP_JOB_INTERVAL)).isEmpty();
        assertThat(rows.get(Metric.DUMP_JOB_INFO)).extracting(r -> r.labels().get(3)).containsExactly("HALTED");
        assertThat(rows.get(Metric.NEWEST_VERIFIED_DUMP_AGE)).containsExactly(new FleetGauges.Row(List.of("job-gone", "srv-9"), 100));
        assertThat(rows.get(Metric.CATALOG_STORED_BYTES)).containsExactly(new FleetGauges.Row(List.of("job-gone"), 7));
    }
}
