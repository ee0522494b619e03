package io.pgsnapman.service.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.config.JobState;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.config.RestoreJobTrigger;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.events.restore.RestoreTrigger;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.util.List;
import org.junit.jupiter.api.Test;

class FanOutTest {

    private static RestoreJobConfig job(String id, String source, String target, RestoreJobTrigger trigger, JobState state) {
        return RestoreJobConfig.newBuilder(SampleEvents.restoreJobConfig()).setRestoreJobId(id).setSourceDumpJobId(source)
                .setTargetServerId(target).setTrigger(trigger).setState(state).build();
    }

    private static DumpCompleted dump(Outcome outcome) {
        return DumpCompleted.newBuilder(SampleEvents.dumpCompleted()).setDumpJobId("job-a").setDumpId("job-a/20260101T020000Z")
                .setOutcome(outcome).build();
    }

    private final List<RestoreJobConfig> jobs = List.of(
            job("rjob-2", "job-a", "srv-test", RestoreJobTrigger.ON_DUMP, JobState.ACTIVE),
            job("rjob-1", "job-a", "srv-dev", RestoreJobTrigger.ON_DUMP, JobState.ACTIVE),
            job("rjob-halted", "job-a", "srv-x", RestoreJobTrigger.ON_DUMP, JobState.HALTED),
            job("rjob-cron", "job-a", "srv-y", RestoreJobTrigger.CRON, JobState.ACTIVE),
            job("rjob-other", "job-b", "srv-z", RestoreJobTrigger.ON_DUMP, JobState.ACTIVE));

    @Test
    void aSucceededDumpFansOutToEveryActiveOnDumpJobOfItsDumpJob() {
        List<RestoreRequested> requests = FanOut.requestsFor(dump(Outcome.SUCCEEDED), jobs, SampleEvents::header);

        assertThat(requests).extracting(RestoreRequested::getRestoreRequestId)
                .containsExactly("rjob-1/job-a/20260101T020000Z", "rjob-2/job-a/20260101T020000Z");
        assertThat(requests).extracting(RestoreRequested::getTargetServerId).containsExactly("srv-dev", "srv-test");
        assertThat(requests).allMatch(r -> r.getTrigger() == RestoreTrigger.FAN_OUT
                && r.getDumpId().equals("job-a/20260101T020000Z"));
        assertThat(requests.get(0).getOptions()).isEqualTo(jobs.get(1).getOptions());
    }

    @Test
    void aFailedDumpFansOutToNothing() {
        assertThat(FanOut.requestsFor(dump(Outcome.FAILED), jobs, SampleEvents::header)).isEmpty();
    }
}
