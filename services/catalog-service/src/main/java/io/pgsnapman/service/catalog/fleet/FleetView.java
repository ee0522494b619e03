package io.pgsnapman.service.catalog.fleet;

import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.service.catalog.store.FleetStore;
import java.time.Clock;
import java.util.List;

/**
 * The fleet now: the catalog's per-job summary (one query) judged against the dump jobs and servers as
 * catalog-service's configuration caches hold them. Read by the gauges, the fleet API and {@code pgsnapman status}.
 */
public class FleetView {

    private final FleetStore store;
    private final CompactedTopicCache<DumpJobConfig> jobs;
    private final CompactedTopicCache<ServerConfig> servers;
    private final Clock clock;

    public FleetView(FleetStore store, CompactedTopicCache<DumpJobConfig> jobs, CompactedTopicCache<ServerConfig> servers,
            Clock clock) {
        this.store = store;
        this.jobs = jobs;
        this.servers = servers;
        this.clock = clock;
    }

    /** Every job, failures first ({@link FleetStatus}). */
    public List<FleetEntry> entries() {
        return FleetStatus.of(store.byJob(), jobs.values(), id -> servers.get(id).map(ServerConfig::getName).orElse(id),
                clock.instant());
    }

    /** When the entries are judged. */
    public Clock clock() {
        return clock;
    }
}
