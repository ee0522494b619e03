package io.pgsnapman.service.catalog.verification;

import io.pgsnapman.activity.ActivityReporter;
import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.activity.ActivityLevel;
import io.pgsnapman.events.activity.SubjectType;
import io.pgsnapman.events.catalog.TestRestore;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.restore.RestoreOptions;
import io.pgsnapman.events.restore.RestorePurpose;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.events.restore.RestoreTrigger;
import io.pgsnapman.events.restore.TableRowCheck;
import io.pgsnapman.metrics.FleetMeters;
import io.pgsnapman.metrics.Metric;
import io.pgsnapman.schemas.EventHeaders;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.service.catalog.notify.Notifications;
import io.pgsnapman.service.catalog.notify.Notifier;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.schemas.VerifyRequests;
import io.pgsnapman.service.catalog.api.VerificationEntry;
import io.pgsnapman.service.catalog.maintenance.CatalogEvents;
import io.pgsnapman.service.catalog.store.CatalogStore;
import io.pgsnapman.service.catalog.store.VerificationStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Verification by test restore, from plan to catalog. A successful, checksum-verified dump whose job's policy asks
 * for it is planned; {@link #dispatch()} places planned ones on verification servers ({@link ServerChoice}) and
 * publishes their {@code RestoreRequested} with purpose VERIFY (pg_restore {@code -j} as the job dumps), oldest
 * first; each outcome ends its verification and makes the dump VERIFIED or VERIFICATION_FAILED (with a catalog event
 * naming the server, its version and the tables that differ) — or, when the test restore could not run, ERROR, which
 * says nothing about the dump (a WARN on the activity stream, as a skipped one is). A request is
 * published before its verification is marked running, so a crash in between sends it again under the same id (the
 * restore-worker answers an id once). One dispatch at a time in this replica.
 */
public class VerificationService {

    private static final Logger log = LoggerFactory.getLogger(VerificationService.class);
    private static final long SEND_TIMEOUT_SECONDS = 30;
    /** Failures that are the dump's: it does not load, or loads into other contents. */
    private static final Set<String> DUMP_AT_FAULT = Set.of(FailureCode.CONTENT_MISMATCH.name(),
            FailureCode.CHECKSUM_MISMATCH.name(), FailureCode.UNREADABLE_DUMP.name(), FailureCode.TOOL_FAILED.name());
    static final String BY_POLICY = "policy";

    private final VerificationStore verifications;
    private final CatalogStore catalog;
    private final CompactedTopicCache<DumpJobConfig> jobs;
    private final CompactedTopicCache<ServerConfig> servers;
    private final CatalogEvents events;
    private final KafkaTemplate<String, Object> kafka;
    private final ActivityReporter activity;
    private final Clock clock;
    private final String producer;
    private final Duration answerTimeout;
    private final FleetMeters meters;
    private final Notifier notifier;

    public VerificationService(VerificationStore verifications, CatalogStore catalog, CompactedTopicCache<DumpJobConfig> jobs,
            CompactedTopicCache<ServerConfig> servers, CatalogEvents events, KafkaTemplate<String, Object> kafka,
            ActivityReporter activity, Clock clock, String producer, Duration answerTimeout, FleetMeters meters,
            Notifier notifier) {
        this.verifications = verifications;
        this.notifier = notifier;
        this.meters = meters;
        this.catalog = catalog;
        this.jobs = jobs;
        this.servers = servers;
        this.events = events;
        this.kafka = kafka;
        this.activity = activity;
        this.clock = clock;
        this.producer = producer;
        this.answerTimeout = answerTimeout;
    }

    /** After a dump was cataloged: plans its test restore if its job's policy asks for one (once per dump). */
    public Optional<VerificationEntry> planByPolicy(String dumpId) {
        Optional<VerificationStore.DumpFacts> facts = verifications.facts(dumpId);
        if (facts.isEmpty() || notRestorable(facts.get()).isPresent() || verifications.plannedByPolicy(dumpId)) {
            return Optional.empty();
        }
        Optional<DumpJobConfig> job = jobs.get(facts.get().dumpJobId());
        if (job.isEmpty() || !VerificationPlanner.due(job.get().getVerification(), dumpId,
                verifications.ordinal(facts.get().dumpJobId(), facts.get().scheduledAt()), facts.get().scheduledAt(),
                verifications.lastPlanned(facts.get().dumpJobId()))) {
            return Optional.empty();
        }
        return Optional.of(plan(facts.get(), BY_POLICY));
    }

    /** Plans a test restore asked for by {@code who}; empty when the dump is unknown. */
    public Optional<VerificationEntry> request(String dumpId, String who) {
        return verifications.facts(dumpId).map(facts -> plan(facts, who));
    }

    private VerificationEntry plan(VerificationStore.DumpFacts facts, String by) {
        String id = VerifyRequests.newRequestId();
        verifications.plan(id, facts.dumpId(), facts.dumpJobId(), by, clock.instant());
        log.info("test restore {} of dump {} planned ({})", id, facts.dumpId(), by);
        dispatchQuietly();
        return verifications.find(id).orElseThrow();
    }

    /** Places planned test restores on free verification servers, oldest first; ends those unanswered too long. */
    public synchronized void dispatch() {
        Instant now = clock.instant();
        List<ServerChoice.Running> running = new ArrayList<>();
        for (VerificationEntry v : verifications.inState(VerificationState.RUNNING)) {
            if (v.startedAt() != null && v.startedAt().plus(answerTimeout).isBefore(now)) {
                end(v, VerificationState.ERROR, "no outcome within " + answerTimeout.toMinutes() + " min", null, 0,
                        List.of());
            } else {
                running.add(new ServerChoice.Running(v.serverId(), v.needsBytes() == null ? 0 : v.needsBytes()));
            }
        }
        if (!servers.isLoaded()) {
            return;
        }
        for (VerificationEntry planned : verifications.inState(VerificationState.PLANNED)) {
            Optional<VerificationStore.DumpFacts> facts = verifications.facts(planned.dumpId());
            Optional<String> unfit = facts.isEmpty() ? Optional.of("the dump is no longer in the catalog")
                    : notRestorable(facts.get());
            if (unfit.isPresent()) {
                end(planned, VerificationState.SKIPPED, unfit.get(), null, 0, List.of());
                continue;
            }
            long needs = facts.get().needsBytes();
            ServerChoice.Decision decision = ServerChoice.decide(List.copyOf(servers.values()), facts.get().serverVersion(), needs, running);
            if (decision instanceof ServerChoice.Skip skip) {
                log.warn("test restore {} of dump {} SKIPPED: {}", planned.verificationId(), planned.dumpId(), skip.reason());
                end(planned, VerificationState.SKIPPED, skip.reason(), null, 0, List.of());
            } else if (decision instanceof ServerChoice.Wait wait) {
                if (!wait.why().equals(planned.reason())) {
                    verifications.waiting(planned.verificationId(), wait.why());
                }
            } else if (decision instanceof ServerChoice.Start start) {
                String scratch = VerifyRequests.scratchDatabase(planned.verificationId());
                publish(request(planned, start.server(), scratch));
                verifications.started(planned.verificationId(), start.server().getServerId(), scratch, needs, clock.instant());
                running.add(new ServerChoice.Running(start.server().getServerId(), needs));
                log.info("test restore {} of dump {} started on {}", planned.verificationId(), planned.dumpId(),
                        start.server().getName());
            }
        }
    }

    /** Dispatches, logging instead of throwing (called after plans and outcomes; the schedule tries again). */
    private void dispatchQuietly() {
        try {
            dispatch();
        } catch (RuntimeException e) {
            log.warn("placing planned test restores failed, tried again on the next pass: {}", e.getMessage());
        }
    }

    /** A VERIFY request's outcome: ends its verification and tells the catalog what it proved. */
    public void completed(RestoreCompleted answer) {
        Optional<VerificationEntry> found = verifications.find(answer.getRestoreRequestId());
        if (found.isEmpty() || found.get().state().ended()) {
            return; // answered again, or ended by the timeout before
        }
        VerificationEntry verification = found.get();
        VerificationState state = judge(answer);
        List<TableRowCheck> differing = answer.getRowChecks().stream().filter(VerifyRequests::differs).toList();
        String reason = state == VerificationState.VERIFIED
                ? "test restore on " + answer.getTargetServerId() + " reproduced all " + answer.getRowChecks().size()
                        + " tables"
                : answer.getFailure() == null ? "no failure given" : answer.getFailure().getReason();
        if (state != VerificationState.ERROR) {
            catalog.find(verification.dumpId()).ifPresent(dump -> {
                events.testRestored(dump, state == VerificationState.VERIFIED, reason, TestRestore.newBuilder()
                        .setRestoreRequestId(answer.getRestoreRequestId()).setServerId(answer.getTargetServerId())
                        .setServerVersion(answer.getTargetServerVersion()).setTablesChecked(answer.getRowChecks().size())
                        .setDifferences(differing).build());
                if (state == VerificationState.VERIFIED) {
                    catalog.markRepaired(dump.dumpId());
                } else {
                    catalog.markDamaged(dump.dumpId(), "test restore: " + reason);
                }
            });
        }
        end(verification, state, reason, answer.getTargetServerVersion(), answer.getRowChecks().size(),
                differing.stream().map(VerificationService::difference).toList());
        log.info("test restore {} of dump {}: {} ({})", verification.verificationId(), verification.dumpId(), state, reason);
        dispatchQuietly();
    }

    /** What an outcome proves: VERIFIED, FAILED when the dump is at fault, ERROR when the run itself failed. */
    static VerificationState judge(RestoreCompleted answer) {
        if (answer.getOutcome() == Outcome.SUCCEEDED) {
            return VerificationState.VERIFIED;
        }
        String code = answer.getFailure() == null ? null : answer.getFailure().getCode();
        boolean dumpAtFault = answer.getOutcome() == Outcome.FAILED && code != null
                && (DUMP_AT_FAULT.contains(code) || FailureCode.isSqlState(code) && loadError(code));
        return dumpAtFault ? VerificationState.FAILED : VerificationState.ERROR;
    }

    /** SQLSTATE classes a dump that does not load gives: data exceptions, integrity, undefined or invalid objects. */
    private static boolean loadError(String sqlState) {
        return sqlState.startsWith("22") || sqlState.startsWith("23") || sqlState.startsWith("42");
    }

    /** Ends a verification; one that was skipped or could not run is a WARN on the activity stream, with why. */
    private void end(VerificationEntry v, VerificationState state, String reason, String serverVersion, int tables,
            List<VerificationEntry.TableDifference> differences) {
        boolean ended = verifications.finish(v.verificationId(), state, reason, serverVersion, tables, differences,
                clock.instant());
        if (ended) {
            meters.counter(Metric.VERIFICATIONS, state.name(), v.dumpJobId()).increment();
        }
        if (ended && state == VerificationState.FAILED) {
            notifier.notify(Notifications.verificationFailed(v.verificationId(), v.dumpId(), v.dumpJobId(), v.serverId(), reason,
                    clock.instant()));
        }
        if (ended && (state == VerificationState.SKIPPED || state == VerificationState.ERROR)) {
            activity.state(new ActivityReporter.Subject(SubjectType.DUMP, v.dumpId(), v.serverId(), v.dumpJobId(), null),
                    ActivityLevel.WARN, "test restore " + v.verificationId() + " "
                            + (state == VerificationState.SKIPPED ? "SKIPPED" : "could not run (ERROR)") + ": " + reason);
        }
    }

    /** Why a dump cannot be test-restored (now), if it cannot. */
    static Optional<String> notRestorable(VerificationStore.DumpFacts facts) {
        if (!"SUCCEEDED".equals(facts.outcome())) {
            return Optional.of("the dump " + facts.outcome());
        }
        if (facts.retentionState() != null) {
            return Optional.of("the dump is " + facts.retentionState() + " by retention");
        }
        if (!"VERIFIED".equals(facts.verification())) {
            return Optional.of("the dump is " + facts.verification() + ": only dumps whose checksums passed are test-restored");
        }
        return Optional.empty();
    }

    private RestoreRequested request(VerificationEntry v, ServerConfig server, String scratch) {
        return RestoreRequested.newBuilder()
                .setHeader(EventHeaders.start(producer, clock))
                .setRestoreRequestId(v.verificationId())
                .setDumpId(v.dumpId())
                .setTargetServerId(server.getServerId())
                .setTargetDatabaseName(scratch)
                .setOptions(RestoreOptions.newBuilder().setParallelJobs(jobs.get(v.dumpJobId())
                        .map(job -> Math.max(1, job.getSpec().getParallelJobs())).orElse(1)).build())
                .setTrigger(RestoreTrigger.EXTERNAL)
                .setRequestedBy("catalog-service verification (" + v.requestedBy() + ")")
                .setPurpose(RestorePurpose.VERIFY)
                .build();
    }

    private void publish(RestoreRequested request) {
        try {
            kafka.send(Topics.RESTORE_REQUESTED.name(), request.getTargetServerId(), request)
                    .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while requesting test restore " + request.getRestoreRequestId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot request test restore " + request.getRestoreRequestId() + ": "
                    + e.getMessage(), e);
        }
    }

    private static VerificationEntry.TableDifference difference(TableRowCheck c) {
        return new VerificationEntry.TableDifference(c.getSchemaName(), c.getTableName(), c.getExpectedRows(),
                c.getActualRows(), c.getExpectedChecksum(), c.getActualChecksum());
    }
}
