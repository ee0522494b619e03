package io.pgsnapman.service.restoreworker;

import io.pgsnapman.activity.ActivityReporter;
import io.pgsnapman.events.Failure;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.activity.ActivityLevel;
import io.pgsnapman.events.activity.SubjectType;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.restore.RestorePurpose;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.schemas.EventHeaders;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.service.restoreworker.settings.RestoreWorkerProperties;
import io.pgsnapman.service.restoreworker.steps.RestoreContext;
import io.pgsnapman.service.restoreworker.steps.RestoreSteps;
import io.pgsnapman.worksteps.StepFailure;
import io.pgsnapman.worksteps.StepRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores one verified dump into a database on a target server by running {@link RestoreSteps} over a
 * {@link RestoreContext} — each step reported by name on the activity topic, the work cancelled between steps
 * when its thread is interrupted (its lease was lost) — and answers with a {@link RestoreCompleted}. Checksums
 * are verified before anything touches the target. Except with DROP_BEFORE, the dump is restored into a
 * temporary database which then takes the target's place (DROP drops the old one, RENAME keeps it under a
 * timestamped name, LEAVE refuses when the target exists), so a failed restore leaves the target as it was: the
 * steps' undo drops the temporary database. TRUNCATE on an existing database empties and reloads its tables'
 * data in one transaction (on a missing one it restores like DROP). The database is created by PgSnapMan
 * (template0, the dump's encoding and locale, no tablespace unless USE_TBLSPC), its own ACL and settings
 * re-applied from the manifest, and every table's row count compared with the dump's. A test restore (purpose
 * VERIFY) runs the steps of {@link RestoreSteps#inOrder} for it: loaded the same way, compared table by table with
 * the dump's counts and checksums, and dropped; a difference makes it FAILED with CONTENT_MISMATCH, an ERROR in
 * activity.
 */
final class RestoreExecutor {

    private static final Logger log = LoggerFactory.getLogger(RestoreExecutor.class);

    private final RestoreSteps steps;
    private final Clock clock;
    private final RestoreWorkerProperties properties;
    private final ActivityReporter activity;

    RestoreExecutor(ActivityReporter activity, Clock clock, RestoreWorkerProperties properties) {
        this.steps = new RestoreSteps(activity, clock, properties);
        this.activity = activity;
        this.clock = clock;
        this.properties = properties;
    }

    RestoreCompleted run(RestoreRequested request, RestoreValidator.Plan plan) {
        Instant started = now();
        String dumpId = plan.dump().manifest().dumpId();
        RestoreCompleted.Builder result = base(request, dumpId).setStartedAt(started);
        ActivityReporter.Subject subject = subject(request);
        String what = what(request);
        activity.state(subject, ActivityLevel.INFO, what + " of " + dumpId + " into " + request.getTargetDatabaseName()
                + " started");
        try (RestoreContext restore = new RestoreContext(request, plan.dump(), plan.target(), plan.rolesDump(), subject,
                result, TemporaryDatabaseSweeper.MARK + RestoreAnswers.recordName(request.getRestoreRequestId()))
                .withJob(plan.job())) {
            new StepRunner<RestoreContext>("restore " + request.getRestoreRequestId(),
                    steps.inOrder(request.getPurpose())).run(restore,
                    (step, number, total) -> activity.progress(subject, step, number, (long) total, "steps"),
                    Thread.currentThread()::isInterrupted);
            result.setRestoredBytes(plan.dump().manifest().totalBytes());
            activity.state(subject, ActivityLevel.INFO, what + " SUCCEEDED"
                    + (Boolean.FALSE.equals(result.getRowCountsMatch()) ? ", but row counts differ" : ""));
            return result.setOutcome(Outcome.SUCCEEDED).setFinishedAt(now()).build();
        } catch (StepFailure stop) {
            log.warn("{} {} {}: {}", what, request.getRestoreRequestId(), stop.outcome(), stop.failure().getReason());
            activity.state(subject, stop.outcome() == Outcome.REJECTED ? ActivityLevel.WARN : ActivityLevel.ERROR,
                    what + " " + stop.outcome() + ": " + stop.failure().getReason());
            return result.setOutcome(stop.outcome()).setFailure(stop.failure()).setFinishedAt(now())
                    .setStartedAt(stop.outcome() == Outcome.REJECTED ? null : started).build();
        } catch (StepRunner.Cancelled e) {
            log.warn("restore {} cancelled: {}", request.getRestoreRequestId(), e.getMessage());
            return result.setOutcome(Outcome.FAILED).setFinishedAt(now())
                    .setFailure(FailureCode.CANCELLED.failure(e.getMessage()).build()).build();
        } catch (Exception e) {
            log.error("restore {} failed unexpectedly", request.getRestoreRequestId(), e);
            activity.state(subject, ActivityLevel.ERROR, what + " FAILED: worker error: " + e.getMessage());
            return result.setOutcome(Outcome.FAILED).setFinishedAt(now())
                    .setFailure(FailureCode.WORKER_ERROR.failure("worker error: " + e.getMessage()).build()).build();
        }
    }

    /** Reports that a failed attempt is tried again after {@code wait}. */
    void retrying(RestoreRequested request, int attempt, int attempts, Failure failure, Duration wait) {
        log.warn("restore {}: attempt {} of {} FAILED ({}: {}); trying again in {}", request.getRestoreRequestId(), attempt,
                attempts, failure.getCode(), failure.getReason(), wait);
        activity.state(subject(request), ActivityLevel.WARN, "attempt " + attempt + " of " + attempts + " FAILED with a"
                + " retriable error (" + failure.getCode() + "); trying again in " + wait.toSeconds() + " s");
    }

    /** The answer to a request refused before any work. */
    RestoreCompleted rejected(RestoreRequested request, Failure why) {
        log.warn("restore {} REJECTED ({}): {}", request.getRestoreRequestId(), why.getCode(), why.getReason());
        activity.state(subject(request), ActivityLevel.WARN, what(request) + " REJECTED: " + why.getReason());
        return base(request, request.getDumpId()).setOutcome(Outcome.REJECTED).setFailure(why).setFinishedAt(now()).build();
    }

    /** The steps, for what shares their server access (the temporary-database sweeper). */
    RestoreSteps steps() {
        return steps;
    }

    void close() {
        steps.close();
    }

    private RestoreCompleted.Builder base(RestoreRequested request, String dumpId) {
        return RestoreCompleted.newBuilder()
                .setHeader(EventHeaders.following(request.getHeader(), "restore-worker/" + properties.instanceId(), clock))
                .setRestoreRequestId(request.getRestoreRequestId())
                .setDumpId(dumpId)
                .setTargetServerId(request.getTargetServerId())
                .setTargetDatabaseName(request.getTargetDatabaseName())
                .setOptions(request.getOptions())
                .setTrigger(request.getTrigger())
                .setRestoreJobId(request.getRestoreJobId())
                .setPurpose(request.getPurpose())
                .setWorkerId(properties.instanceId());
    }

    /** How the work is named in activity: a restore, or a verification (test restore). */
    private static String what(RestoreRequested request) {
        return request.getPurpose() == RestorePurpose.VERIFY ? "verification" : "restore";
    }

    private static ActivityReporter.Subject subject(RestoreRequested request) {
        return new ActivityReporter.Subject(SubjectType.RESTORE, request.getRestoreRequestId(), request.getTargetServerId(),
                request.getRestoreJobId(), request.getHeader());
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }
}
