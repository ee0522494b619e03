package io.pgsnapman.service.dumpworker;

import io.pgsnapman.activity.ActivityReporter;
import io.pgsnapman.events.EventHeader;
import io.pgsnapman.events.Failure;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.activity.ActivityLevel;
import io.pgsnapman.events.activity.SubjectType;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.dump.VerificationStatus;
import io.pgsnapman.pgtools.DumpKind;
import io.pgsnapman.repository.DumpAlreadyExistsException;
import io.pgsnapman.repository.DumpReader;
import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.schemas.EventHeaders;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.service.dumpworker.settings.DumpWorkerProperties;
import io.pgsnapman.service.dumpworker.steps.DumpContext;
import io.pgsnapman.service.dumpworker.steps.DumpSteps;
import io.pgsnapman.worksteps.StepFailure;
import io.pgsnapman.worksteps.StepRunner;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one dump by running {@link DumpSteps} over a {@link DumpContext} — each step reported by name on the
 * activity topic, the work cancelled between steps when its thread is interrupted (its lease was lost) — and
 * answers with a {@link DumpCompleted}. Any failure is a FAILED outcome with the tool's exit code and stderr; the
 * steps' undo discards the staging directory, so nothing half-written looks complete. A dump already complete in
 * the repository (a redelivered tick) is answered from its manifest without dumping again.
 */
final class DumpExecutor {

    private static final Logger log = LoggerFactory.getLogger(DumpExecutor.class);

    private final DumpRepository repository;
    private final DumpSteps steps;
    private final ActivityReporter activity;
    private final Clock clock;
    private final DumpWorkerProperties properties;
    private final String producer;

    DumpExecutor(DumpRepository repository, ActivityReporter activity, Clock clock, DumpWorkerProperties properties) {
        this.repository = repository;
        this.steps = new DumpSteps(repository, activity, clock, properties);
        this.activity = activity;
        this.clock = clock;
        this.properties = properties;
        this.producer = "dump-worker/" + properties.instanceId();
    }

    /** The outcome of the tick, already complete in the repository or dumped now. */
    DumpCompleted run(DumpRequested tick, ServerConfig server) {
        Optional<DumpReader> existing = repository.open(tick.getDumpId());
        if (existing.isPresent()) {
            log.info("dump {} is already complete; answering from its manifest", tick.getDumpId());
            return fromRepository(tick, existing.get(), now());
        }
        Instant started = now();
        ActivityReporter.Subject subject = subject(tick);
        activity.state(subject, ActivityLevel.INFO, "dump started");
        try (DumpContext dump = new DumpContext(tick, server, started, subject)) {
            Optional<Failure> invalid = invalidSpec(tick);
            if (invalid.isPresent()) {
                throw StepFailure.failed(invalid.get());
            }
            new StepRunner<DumpContext>("dump " + tick.getDumpId(), steps.inOrder()).run(dump,
                    (step, number, total) -> activity.progress(subject, step, number, (long) total, "steps"),
                    Thread.currentThread()::isInterrupted);
            DumpCompleted completed = fromRepository(tick, dump.reader(), started);
            log.info("dump {} complete: {} files, {} bytes", tick.getDumpId(), completed.getFileCount(),
                    completed.getSizeBytes());
            activity.state(subject, ActivityLevel.INFO, "dump SUCCEEDED, " + completed.getSizeBytes() + " bytes");
            return completed;
        } catch (DumpAlreadyExistsException e) {
            log.info("dump {} was completed by another worker meanwhile", tick.getDumpId());
            return fromRepository(tick, repository.open(tick.getDumpId()).orElseThrow(), started);
        } catch (StepFailure e) {
            return failed(tick, started, e.failure());
        } catch (StepRunner.Cancelled e) {
            return failed(tick, started, FailureCode.CANCELLED.failure(e.getMessage()).build());
        } catch (Exception e) {
            log.error("dump {} FAILED unexpectedly", tick.getDumpId(), e);
            return failed(tick, started, FailureCode.WORKER_ERROR.failure("worker error: " + e.getMessage()).build());
        }
    }

    /** Why the tick's spec cannot be dumped at all, if it cannot. */
    static Optional<Failure> invalidSpec(DumpRequested tick) {
        DumpKind kind = DumpKind.of(tick.getSpec().getDumpType());
        return kind.perDatabase() && tick.getSpec().getDatabaseName() == null
                ? Optional.of(FailureCode.INVALID_SPEC.failure("dump type " + kind.type() + " needs a database name").build())
                : Optional.empty();
    }

    private DumpCompleted fromRepository(DumpRequested tick, DumpReader reader, Instant started) {
        Manifest m = reader.manifest();
        return base(tick, Outcome.SUCCEEDED, m.startedAt() == null ? started : m.startedAt())
                .setFinishedAt(m.finishedAt() == null ? now() : m.finishedAt())
                .setLocation(m.dumpId())
                .setManifestSha256(reader.manifestSha256())
                .setFileCount(m.files().size())
                .setSizeBytes(m.totalBytes())
                .setStoredBytes(m.storedBytes())
                .setDatabaseSizeBytes(m.database() == null ? null : m.database().sizeBytes())
                .setServerVersion(m.serverVersion())
                .setPgDumpVersion(m.pgDumpVersion())
                .setVerification(m.verified() ? VerificationStatus.VERIFIED : VerificationStatus.NOT_VERIFIED)
                .setPinned(m.pinned())
                .build();
    }

    private DumpCompleted failed(DumpRequested tick, Instant started, Failure failure) {
        log.warn("dump {} FAILED: {}", tick.getDumpId(), failure.getReason());
        activity.state(subject(tick), ActivityLevel.ERROR, "dump FAILED: " + failure.getReason());
        return base(tick, Outcome.FAILED, started).setFinishedAt(now()).setFailure(failure)
                .setVerification(VerificationStatus.NOT_VERIFIED).build();
    }

    private DumpCompleted.Builder base(DumpRequested tick, Outcome outcome, Instant started) {
        EventHeader header = EventHeaders.following(tick.getHeader(), producer, clock);
        return DumpCompleted.newBuilder()
                .setHeader(header)
                .setDumpId(tick.getDumpId())
                .setDumpJobId(tick.getDumpJobId())
                .setServerId(tick.getServerId())
                .setSpec(tick.getSpec())
                .setOutcome(outcome)
                .setTrigger(tick.getTrigger())
                .setScheduledAt(tick.getScheduledAt())
                .setStartedAt(started)
                .setPinned(tick.getPin())
                .setWorkerId(properties.instanceId());
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    private static ActivityReporter.Subject subject(DumpRequested tick) {
        return new ActivityReporter.Subject(SubjectType.DUMP, tick.getDumpId(), tick.getServerId(), tick.getDumpJobId(),
                tick.getHeader());
    }

    void close() {
        steps.close();
    }
}
