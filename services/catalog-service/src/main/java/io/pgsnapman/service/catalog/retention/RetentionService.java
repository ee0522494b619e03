package io.pgsnapman.service.catalog.retention;

import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.JobState;
import io.pgsnapman.events.config.Retention;
import io.pgsnapman.events.dump.VerificationStatus;
import io.pgsnapman.metrics.FleetMeters;
import io.pgsnapman.metrics.Metric;
import io.pgsnapman.service.catalog.api.CatalogEntry;
import io.pgsnapman.service.catalog.api.InUseMarker;
import io.pgsnapman.service.catalog.maintenance.CatalogEvents;
import io.pgsnapman.service.catalog.store.RetentionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@link RetentionPolicy} to the catalog: for a job, its kept dumps with their pins and whether a
 * restore job would restore them, its retention and time zone from the dump-job configuration (a job without
 * configuration counts as deleted since it was first seen so). Each dump the policy lets go gets an EXPIRED catalog
 * event, then is marked EXPIRED (a crash in between repeats the event; the dump-worker's deletion is idempotent).
 * Nothing is decided until the job configuration is loaded.
 */
public class RetentionService {

    private static final Logger log = LoggerFactory.getLogger(RetentionService.class);
    /** Jobs handled together by a pass over all of them. */
    static final int BATCH = 500;

    private final RetentionStore dumps;
    private final CompactedTopicCache<DumpJobConfig> jobs;
    private final InUseMarker inUse;
    private final CatalogEvents events;
    private final Clock clock;
    private final Duration deletedJobGrace;

    private final FleetMeters meters;

    public RetentionService(RetentionStore dumps, CompactedTopicCache<DumpJobConfig> jobs, InUseMarker inUse,
            CatalogEvents events, Clock clock, Duration deletedJobGrace, FleetMeters meters) {
        this.dumps = dumps;
        this.meters = meters;
        this.jobs = jobs;
        this.inUse = inUse;
        this.events = events;
        this.clock = clock;
        this.deletedJobGrace = deletedJobGrace;
    }

    /**
     * What retention would do to one kept dump now.
     *
     * @param dumpId       the dump
     * @param scheduledAt  the time it stands for
     * @param outcome      SUCCEEDED or FAILED
     * @param verification its verification state
     * @param pinned       pinned
     * @param inUse        a restore job would restore it
     * @param expires      whether it would expire
     * @param rule         the rule that keeps it, or why it would expire
     */
    public record Item(String dumpId, Instant scheduledAt, String outcome, String verification, boolean pinned,
            boolean inUse, boolean expires, String rule) {}

    /**
     * A job's retention as it stands.
     *
     * @param dumpJobId the job
     * @param status    ACTIVE, HALTED or DELETED (no configuration)
     * @param dumps     every kept dump, newest first
     */
    public record Preview(String dumpJobId, String status, List<Item> dumps) {}

    /** Thrown when the job configuration is not loaded yet, so no decision can be made. */
    public static final class NotReady extends IllegalStateException {
        NotReady() {
            super("the dump-job configuration is not loaded yet; retention decides nothing until it is");
        }
    }

    /** What retention would do to a job's kept dumps now; changes nothing. */
    public Preview preview(String dumpJobId) {
        Decided decided = decide(dumpJobId);
        List<Item> items = decided.decisions().stream().map(d -> {
            CatalogEntry e = decided.entries().get(d.dumpId());
            return new Item(e.dumpId(), e.scheduledAt(), e.outcome(), e.verification(), e.pinned(), e.inUse(), d.expires(),
                    d.rule().label());
        }).toList();
        return new Preview(dumpJobId, decided.job().status().name(), items);
    }

    /** {@link #preview} of every job with kept dumps. */
    public List<Preview> previewAll() {
        return dumps.jobsWithKeptDumps().stream().map(this::preview).toList();
    }

    /** Expires what the policy lets go of one job; returns how many dumps expired. */
    public int apply(String dumpJobId) {
        return applyTo(List.of(dumpJobId));
    }

    /**
     * Applies retention to every job with kept dumps, {@value #BATCH} jobs at a time (one read of their dumps, their
     * EXPIRED events sent together, one update); a batch that fails is logged and the others go on.
     */
    public int applyAll() {
        List<String> all = dumps.jobsWithKeptDumps();
        int expired = 0;
        for (int from = 0; from < all.size(); from += BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + BATCH));
            try {
                expired += applyTo(batch);
            } catch (NotReady e) {
                throw e;
            } catch (RuntimeException e) {
                log.warn("retention of jobs {} to {} failed, tried again on the next pass: {}", batch.get(0),
                        batch.get(batch.size() - 1), e.getMessage());
            }
        }
        return expired;
    }

    private int applyTo(List<String> jobIds) {
        requireLoaded();
        Instant now = clock.instant();
        Map<String, Instant> missing = new HashMap<>(dumps.missingSince(jobIds));
        List<String> nowMissing = new ArrayList<>();
        List<String> backAgain = new ArrayList<>();
        Map<String, List<CatalogEntry>> keptByJob = inUse.mark(dumps.kept(jobIds)).stream()
                .collect(Collectors.groupingBy(CatalogEntry::dumpJobId));
        List<CatalogEvents.Expiry> expiries = new ArrayList<>();
        for (String jobId : jobIds) {
            Optional<DumpJobConfig> config = jobs.get(jobId);
            if (config.isEmpty() && !missing.containsKey(jobId)) {
                nowMissing.add(jobId);
                missing.put(jobId, now);
            } else if (config.isPresent() && missing.containsKey(jobId)) {
                backAgain.add(jobId);
            }
            List<CatalogEntry> kept = keptByJob.getOrDefault(jobId, List.of());
            Map<String, CatalogEntry> byId = kept.stream().collect(Collectors.toMap(CatalogEntry::dumpId, Function.identity()));
            for (RetentionPolicy.Decision decision : RetentionPolicy.decide(job(config, missing.get(jobId)), policyDumps(kept), now)) {
                if (decision.expires()) {
                    expiries.add(new CatalogEvents.Expiry(byId.get(decision.dumpId()), decision.rule().label()));
                }
            }
        }
        dumps.recordMissing(nowMissing, now);
        dumps.present(backAgain);
        if (expiries.isEmpty()) {
            return 0;
        }
        events.expired(expiries);
        int expired = dumps.expire(expiries.stream().map(e -> e.dump().dumpId()).toList(),
                expiries.stream().map(CatalogEvents.Expiry::rule).toList(), now);
        expiries.forEach(e -> {
            log.debug("dump {} expired: {}", e.dump().dumpId(), e.rule());
            meters.counter(Metric.RETENTION_EXPIRED, e.dump().dumpJobId()).increment();
        });
        log.info("retention expired {} dumps of {} jobs", expired, jobIds.size());
        return expired;
    }

    private record Decided(RetentionPolicy.Job job, Map<String, CatalogEntry> entries,
            List<RetentionPolicy.Decision> decisions) {}

    private void requireLoaded() {
        if (!jobs.isLoaded()) {
            throw new NotReady();
        }
    }

    /** One job's decisions without recording anything (the preview). */
    private Decided decide(String dumpJobId) {
        requireLoaded();
        Instant now = clock.instant();
        Optional<DumpJobConfig> config = jobs.get(dumpJobId);
        Instant missingSince = config.isPresent() ? null
                : dumps.missingSince(List.of(dumpJobId)).getOrDefault(dumpJobId, now);
        List<CatalogEntry> keptDumps = inUse.mark(dumps.kept(List.of(dumpJobId)));
        RetentionPolicy.Job job = job(config, missingSince);
        return new Decided(job, keptDumps.stream().collect(Collectors.toMap(CatalogEntry::dumpId, Function.identity())),
                RetentionPolicy.decide(job, policyDumps(keptDumps), now));
    }

    private static List<RetentionPolicy.Dump> policyDumps(List<CatalogEntry> kept) {
        return kept.stream().map(e -> new RetentionPolicy.Dump(e.dumpId(), e.scheduledAt(), "SUCCEEDED".equals(e.outcome()),
                VerificationStatus.VERIFICATION_FAILED.name().equals(e.verification()), e.pinned(), e.inUse())).toList();
    }

    /** The job as the policy sees it: configured (active or halted), or deleted since {@code missingSince}. */
    private RetentionPolicy.Job job(Optional<DumpJobConfig> config, Instant missingSince) {
        if (config.isEmpty()) {
            return new RetentionPolicy.Job(Retention.newBuilder().build(), ZoneId.of("UTC"),
                    RetentionPolicy.JobStatus.DELETED, missingSince, deletedJobGrace);
        }
        DumpJobConfig c = config.get();
        return new RetentionPolicy.Job(c.getRetention(), ZoneId.of(c.getTimeZone()),
                c.getState() == JobState.HALTED ? RetentionPolicy.JobStatus.HALTED : RetentionPolicy.JobStatus.ACTIVE,
                null, deletedJobGrace);
    }
}
