package io.pgsnapman.service.scheduler;

import io.pgsnapman.cron.CronSchedule;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.JobState;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.events.config.RestoreJobTrigger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Decides, without any I/O, whether a dump job (or a restore job with trigger CRON) is due: the latest cron instant after the last one fired
 * and not after now. Several missed instants (the scheduler was down) collapse into the latest one, fired
 * once and marked as a catch-up. A job never fired before starts from when it was first seen, so a new
 * job waits for its next cron instant instead of firing at once.
 */
final class TickPlanner {

    private static final DateTimeFormatter BASIC_UTC =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Duration catchUpGrace;

    TickPlanner(Duration catchUpGrace) {
        this.catchUpGrace = catchUpGrace;
    }

    /**
     * @param scheduledAt the cron instant the tick stands for
     * @param catchUp     fired late, for instants missed while no scheduler ran
     */
    record Due(Instant scheduledAt, boolean catchUp) {}

    /** The dump tick to fire now, if any. */
    Optional<Due> due(DumpJobConfig job, Instant lastScheduled, Instant now) {
        return due(job.getState(), job.getCron(), job.getTimeZone(), lastScheduled, now);
    }

    /** The restore to ask for now, if any: only restore jobs with trigger CRON run on their own schedule. */
    Optional<Due> due(RestoreJobConfig job, Instant lastScheduled, Instant now) {
        if (job.getTrigger() != RestoreJobTrigger.CRON || job.getCron() == null) {
            return Optional.empty();
        }
        return due(job.getState(), job.getCron(), job.getTimeZone(), lastScheduled, now);
    }

    private Optional<Due> due(JobState state, String cron, String timeZone, Instant lastScheduled, Instant now) {
        if (state != JobState.ACTIVE) {
            return Optional.empty();
        }
        CronSchedule schedule = CronSchedule.parse(cron, timeZone);
        return schedule.latestAtOrBefore(now, lastScheduled.plusMillis(1))
                .map(at -> new Due(at, at.isBefore(now.minus(catchUpGrace))));
    }

    /** The deterministic dump id of a cron tick: {@code <dumpJobId>/<instant, UTC, ISO basic>}. */
    static String dumpId(String dumpJobId, Instant scheduledAt) {
        return dumpJobId + "/" + BASIC_UTC.format(scheduledAt);
    }

    /** The deterministic request id of a cron restore: {@code <restoreJobId>/<instant, UTC, ISO basic>}. */
    static String restoreRequestId(String restoreJobId, Instant scheduledAt) {
        return restoreJobId + "/" + BASIC_UTC.format(scheduledAt);
    }
}
