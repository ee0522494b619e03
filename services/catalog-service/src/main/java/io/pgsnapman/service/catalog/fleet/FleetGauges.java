package io.pgsnapman.service.catalog.fleet;

import io.micrometer.core.instrument.MultiGauge;
import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.cron.CronSchedule;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.events.config.JobState;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.metrics.FleetMeters;
import io.pgsnapman.metrics.Metric;
import io.pgsnapman.service.catalog.store.FleetStore;
import io.pgsnapman.service.catalog.verification.VerificationState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The catalog's gauges of the fleet, per dump job: the age of its newest verified dump (the missing-backup signal;
 * for a job that does not verify, its newest successful dump not found wrong), its schedule's longest interval, an
 * info series with its name, its kept dumps by verification status and their stored bytes. Rebuilt from one query
 * and the configuration caches by {@link #refresh()} (on a schedule); a job deleted from the configuration keeps
 * its dump series until its dumps are gone, without an interval or info series.
 */
public class FleetGauges {

    /** How far ahead a schedule's firings are looked at for its longest interval. */
    static final Duration INTERVAL_HORIZON = Duration.ofDays(8);

    /** The gauges kept here. */
    static final List<Metric> GAUGES = List.of(Metric.NEWEST_VERIFIED_DUMP_AGE, Metric.DUMP_JOB_INTERVAL,
            Metric.DUMP_JOB_INFO, Metric.CATALOG_DUMPS, Metric.CATALOG_STORED_BYTES);

    /** One gauge row: label values in the catalogue's order, and the value. */
    record Row(List<String> labels, double value) {}

    private final FleetStore store;
    private final CompactedTopicCache<DumpJobConfig> jobs;
    private final CompactedTopicCache<ServerConfig> servers;
    private final Clock clock;
    private final FleetMeters meters;
    private final Map<Metric, MultiGauge> gauges = new EnumMap<>(Metric.class);

    public FleetGauges(FleetStore store, CompactedTopicCache<DumpJobConfig> jobs, CompactedTopicCache<ServerConfig> servers,
            FleetMeters meters, Clock clock) {
        this.store = store;
        this.jobs = jobs;
        this.servers = servers;
        this.clock = clock;
        this.meters = meters;
        for (Metric metric : GAUGES) {
            gauges.put(metric, meters.multiGauge(metric));
        }
    }

    /**
     * Reads the catalog and the configuration and replaces every row. The counters of each configured job's
     * verifications and retention are registered at zero, so that a job's first failure is an increase.
     */
    public synchronized void refresh() {
        for (DumpJobConfig job : jobs.values()) {
            for (VerificationState state : VerificationState.values()) {
                if (state.ended()) {
                    meters.counter(Metric.VERIFICATIONS, state.name(), job.getDumpJobId());
                }
            }
            meters.counter(Metric.RETENTION_EXPIRED, job.getDumpJobId());
            meters.counter(Metric.RETENTION_DELETED, job.getDumpJobId());
        }
        Map<Metric, List<Row>> rows = rows(store.byJob(), jobs.values(),
                id -> servers.get(id).map(ServerConfig::getName).orElse(id), clock.instant());
        rows.forEach((metric, list) -> gauges.get(metric).register(list.stream()
                .map(r -> MultiGauge.Row.of(FleetMeters.tags(metric, r.labels().toArray(String[]::new)), r.value()))
                .toList(), true));
    }

    /** The rows of every gauge, from the catalog's per-job summary and the configured jobs. */
    static Map<Metric, List<Row>> rows(List<FleetStore.JobDumps> dumps, Collection<DumpJobConfig> configured,
            Function<String, String> serverName, Instant now) {
        Map<Metric, List<Row>> rows = new EnumMap<>(Metric.class);
        for (Metric metric : GAUGES) {
            rows.put(metric, new ArrayList<>());
        }
        Map<String, DumpJobConfig> byId = new HashMap<>();
        configured.forEach(j -> byId.put(j.getDumpJobId(), j));
        for (DumpJobConfig job : configured) {
            String server = serverName.apply(job.getServerId());
            rows.get(Metric.DUMP_JOB_INFO).add(new Row(List.of(job.getDumpJobId(), server, job.getName(), job.getState().name()), 1));
            if (job.getState() == JobState.ACTIVE) {
                interval(job, now).ifPresent(gap -> rows.get(Metric.DUMP_JOB_INTERVAL)
                        .add(new Row(List.of(job.getDumpJobId(), server), gap.toSeconds())));
            }
        }
        for (FleetStore.JobDumps job : dumps) {
            DumpJobConfig config = byId.get(job.dumpJobId());
            String server = serverName.apply(config != null ? config.getServerId() : job.serverId());
            Instant newest = config != null && !config.getVerify() ? job.newestSucceeded() : job.newestVerified();
            if (newest != null) {
                rows.get(Metric.NEWEST_VERIFIED_DUMP_AGE).add(new Row(List.of(job.dumpJobId(), server),
                        Math.max(0, Duration.between(newest, now).toMillis() / 1000.0)));
            }
            rows.get(Metric.CATALOG_DUMPS).add(new Row(List.of(job.dumpJobId(), "VERIFIED"), job.verified()));
            rows.get(Metric.CATALOG_DUMPS).add(new Row(List.of(job.dumpJobId(), "NOT_VERIFIED"), job.notVerified()));
            rows.get(Metric.CATALOG_DUMPS).add(new Row(List.of(job.dumpJobId(), "VERIFICATION_FAILED"), job.failed()));
            rows.get(Metric.CATALOG_STORED_BYTES).add(new Row(List.of(job.dumpJobId()), job.storedBytes()));
        }
        return rows;
    }

    private static Optional<Duration> interval(DumpJobConfig job, Instant now) {
        try {
            return CronSchedule.parse(job.getCron(), job.getTimeZone()).longestGap(now, INTERVAL_HORIZON);
        } catch (RuntimeException e) {
            return Optional.empty(); // config-service validates cron expressions; an old record may not parse
        }
    }
}
