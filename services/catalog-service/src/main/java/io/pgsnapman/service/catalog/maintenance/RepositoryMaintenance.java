package io.pgsnapman.service.catalog.maintenance;

import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.repository.GarbageReport;
import io.pgsnapman.repository.RepositoryCheck;
import io.pgsnapman.service.catalog.api.CatalogEntry;
import io.pgsnapman.service.catalog.retention.RetentionService;
import io.pgsnapman.service.catalog.store.CatalogStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection and the repository check, asked for by an admin or {@link #runDue() when due}, and the
 * scheduled retention pass. A check's
 * result is kept in the catalog (its summary, and on every dump a missing or damaged chunk affects:
 * VERIFICATION_FAILED with what was found) and each such change of a dump is a {@code VERIFICATION_FAILED}
 * catalog event, published before the catalog changes; a check that read every chunk turns a dump an earlier
 * check failed, and that is whole again, back to VERIFIED with a {@code VERIFIED} event. A dump already failed
 * with the same finding is not announced again.
 */
public class RepositoryMaintenance {

    private static final Logger log = LoggerFactory.getLogger(RepositoryMaintenance.class);
    static final String SCHEDULE = "schedule";

    private final Optional<DumpRepository> repository;
    private final CatalogStore store;
    private final CatalogEvents events;
    private final Clock clock;
    private final Every checkEvery;
    private final int scheduledReadDataPercent;
    private final Every gcEvery;
    private final Duration gcGrace;
    private final RetentionService retention;
    private final Every retentionEvery;
    private Instant lastCollection;
    private Instant lastRetention;

    public RepositoryMaintenance(Optional<DumpRepository> repository, CatalogStore store, CatalogEvents events,
            RetentionService retention, Clock clock, Duration checkEvery, int scheduledReadDataPercent, Duration gcEvery,
            Duration gcGrace, Duration retentionEvery) {
        this.repository = repository;
        this.store = store;
        this.events = events;
        this.retention = retention;
        this.clock = clock;
        this.checkEvery = new Every(checkEvery);
        this.scheduledReadDataPercent = scheduledReadDataPercent;
        this.gcEvery = new Every(gcEvery);
        this.gcGrace = gcGrace;
        this.retentionEvery = new Every(retentionEvery);
    }

    /** Removes the chunks no dump uses and that were not used within {@code grace}. */
    public GarbageReport collectGarbage(Duration grace, boolean dryRun, String requestedBy) {
        log.info("garbage collection for {} (dry run: {}, grace {})", requestedBy, dryRun, grace);
        GarbageReport report = repo().collectGarbage(grace, dryRun);
        if (!dryRun) {
            synchronized (this) {
                lastCollection = clock.instant();
            }
        }
        return report;
    }

    /** Checks the repository, reading back {@code readDataPercent} of its chunks, and records what it found. */
    public synchronized RepositoryCheck check(int readDataPercent, String requestedBy) {
        log.info("repository check for {} reading {} % of the data", requestedBy, readDataPercent);
        RepositoryCheck check = repo().check(readDataPercent);
        Map<String, String> findings = new LinkedHashMap<>();
        check.problems().forEach(p -> findings.merge(p.dumpId(), finding(p), (a, b) -> a + "; " + b));
        findings.forEach(this::markDamaged);
        if (readDataPercent == 100) {
            for (CatalogEntry dump : store.damaged()) {
                if (!findings.containsKey(dump.dumpId())) {
                    events.verified(dump, "a repository check read every chunk of it whole again");
                    store.markRepaired(dump.dumpId());
                }
            }
        }
        store.recordCheck(new CatalogStore.CheckSummary(clock.instant(), requestedBy, readDataPercent, check.dumps(),
                check.chunks(), check.chunksRead(), check.problems().size(), findings.size()));
        if (!findings.isEmpty()) {
            log.warn("repository check: {} dumps damaged: {}", findings.size(), findings);
        }
        return check;
    }

    private void markDamaged(String dumpId, String finding) {
        Optional<CatalogEntry> dump = store.find(dumpId);
        if (dump.isEmpty() || finding.equals(dump.get().verificationError())) {
            return;
        }
        events.verificationFailed(dump.get(), finding);
        store.markDamaged(dumpId, finding);
    }

    private static String finding(RepositoryCheck.Problem problem) {
        return problem.file() + (problem.chunk() == null ? "" : " chunk " + problem.chunk()) + ": " + problem.what();
    }

    /**
     * Runs a retention pass, the check and the collection if they are due now (the schedule calls this every
     * minute); retention first, so a collection after it frees what expired dumps left.
     */
    public void runDue() {
        Instant now = clock.instant();
        if (retentionEvery.due(lastRetention, now)) {
            try {
                int expired = retention.applyAll();
                lastRetention = now;
                log.info("scheduled retention pass: {} dumps expired", expired);
            } catch (RetentionService.NotReady e) {
                log.info("scheduled retention pass waits: {}", e.getMessage());
            }
        }
        if (repository.isEmpty()) {
            return;
        }
        if (checkEvery.due(store.lastCheck().map(CatalogStore.CheckSummary::checkedAt).orElse(null), now)) {
            check(scheduledReadDataPercent, SCHEDULE);
        }
        Instant last;
        synchronized (this) {
            last = lastCollection;
        }
        if (gcEvery.due(last, now)) {
            GarbageReport report = collectGarbage(gcGrace, false, SCHEDULE);
            log.info("scheduled garbage collection: {}", report);
        }
    }

    private DumpRepository repo() {
        return repository.orElseThrow(() -> new IllegalStateException(
                "no repository configured (pgsnapman.catalog.repository): cannot reach the chunks"));
    }
}
