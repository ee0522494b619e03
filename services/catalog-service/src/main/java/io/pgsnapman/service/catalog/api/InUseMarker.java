package io.pgsnapman.service.catalog.api;

import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.events.config.RestoreJobConfig;
import io.pgsnapman.service.catalog.store.CatalogStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Marks the dumps restore jobs refer to: for every configured restore job (active or halted), the latest
 * verified dump of its source dump job — the one it restores when it next runs — is in use by it. Reads the
 * restore jobs from the compacted configuration topic; until that is loaded, marks may be missing.
 */
public class InUseMarker {

    private final CompactedTopicCache<RestoreJobConfig> restoreJobs;
    private final CatalogStore store;

    public InUseMarker(CompactedTopicCache<RestoreJobConfig> restoreJobs, CatalogStore store) {
        this.restoreJobs = restoreJobs;
        this.store = store;
    }

    /** The entries with {@code inUseBy} filled in. */
    public List<CatalogEntry> mark(List<CatalogEntry> entries) {
        Map<String, List<String>> jobsBySource = new HashMap<>();
        for (RestoreJobConfig job : restoreJobs.values()) {
            jobsBySource.computeIfAbsent(job.getSourceDumpJobId(), k -> new ArrayList<>()).add(job.getRestoreJobId());
        }
        Map<String, Optional<String>> latest = new HashMap<>();
        return entries.stream().map(entry -> {
            List<String> jobs = jobsBySource.get(entry.dumpJobId());
            if (jobs == null) {
                return entry;
            }
            Optional<String> latestId = latest.computeIfAbsent(entry.dumpJobId(), store::latestVerified);
            return latestId.filter(entry.dumpId()::equals).isPresent() ? entry.withInUseBy(jobs.stream().sorted().toList()) : entry;
        }).toList();
    }

    public CatalogEntry mark(CatalogEntry entry) {
        return mark(List.of(entry)).get(0);
    }
}
