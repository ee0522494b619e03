package io.pgsnapman.service.scheduler;

import io.pgsnapman.events.EventHeader;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.config.JobState;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.config.RestoreJobTrigger;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.events.restore.RestoreTrigger;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns a SUCCEEDED dump into one restore request per ACTIVE restore job triggered by its dump job
 * ({@code ON_DUMP}), so one finished dump fans out to all its targets at once. The request id is
 * {@code <restoreJobId>/<dumpId>}: a redelivered dump outcome asks for the same restores again, which
 * the restore workers recognise. Without I/O.
 */
final class FanOut {

    private FanOut() {}

    static List<RestoreRequested> requestsFor(DumpCompleted dump, Collection<RestoreJobConfig> restoreJobs,
            Supplier<EventHeader> header) {
        if (dump.getOutcome() != Outcome.SUCCEEDED) {
            return List.of();
        }
        return restoreJobs.stream()
                .filter(job -> job.getState() == JobState.ACTIVE)
                .filter(job -> job.getTrigger() == RestoreJobTrigger.ON_DUMP)
                .filter(job -> job.getSourceDumpJobId().equals(dump.getDumpJobId()))
                .sorted(Comparator.comparing(RestoreJobConfig::getRestoreJobId))
                .map(job -> request(job, job.getRestoreJobId() + "/" + dump.getDumpId(), dump.getDumpId(),
                        RestoreTrigger.FAN_OUT, header.get()))
                .toList();
    }

    /**
     * The request a restore job makes: its target, database and options, for {@code dumpId} or (when null)
     * the latest verified dump of its source dump job.
     */
    static RestoreRequested request(RestoreJobConfig job, String requestId, String dumpId, RestoreTrigger trigger,
            EventHeader header) {
        return RestoreRequested.newBuilder()
                .setHeader(header)
                .setRestoreRequestId(requestId)
                .setDumpId(dumpId)
                .setSourceDumpJobId(job.getSourceDumpJobId())
                .setTargetServerId(job.getTargetServerId())
                .setTargetDatabaseName(job.getTargetDatabaseName())
                .setOptions(job.getOptions())
                .setTrigger(trigger)
                .setRestoreJobId(job.getRestoreJobId())
                .setRequestedBy("scheduler-service")
                .build();
    }
}
