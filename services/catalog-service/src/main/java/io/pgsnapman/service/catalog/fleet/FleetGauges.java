package io.pgsnapman.service.catalog.fleet;

import io.micrometer.core.instrument.MultiGauge;
import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.events.config.DumpJobConfig;
import io.pgsnapman.metrics.FleetMeters;
import io.pgsnapman.metrics.Metric;
import io.pgsnapman.service.catalog.verification.VerificationState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalog's gauges of the fleet, per dump job: the age of its newest verified dump (the missing-backup signal;
 * for a job that does not verify, its newest successful dump not found wrong), its schedule's longest interval, an
 * info series with its name, its kept dumps by verification status and their stored bytes. Rebuilt from the
 * {@link FleetView}'s judgement by {@link #refresh} (on a schedule); a job deleted from the configuration keeps its dump
 * series until its dumps are gone, without an interval or info series.
 */
public class FleetGauges {

    /** The gauges kept here. */
    static final List<Metric> GAUGES = List.of(Metric.NEWEST_VERIFIED_DUMP_AGE, Metric.DUMP_JOB_INTERVAL,
            Metric.DUMP_JOB_INFO, Metric.CATALOG_DUMPS, Metric.CATALOG_STORED_BYTES);

    /** One gauge row: label values in the catalogue's order, and the value. */
    record Row(List<String> labels, double value) {}

    private final CompactedTopicCache<DumpJobConfig> jobs;
    private final FleetMeters meters;
    private final Map<Metric, MultiGauge> gauges = new EnumMap<>(Metric.class);

    public FleetGauges(CompactedTopicCache<DumpJobConfig> jobs, FleetMeters meters) {
        this.jobs = jobs;
        this.meters = meters;
        for (Metric metric : GAUGES) {
            gauges.put(metric, meters.multiGauge(metric));
        }
    }

    /**
     * Replaces every row with those of this judgement of the fleet. The counters of each configured job's
     * verifications and retention are registered at zero, so that a job's first failure is an increase.
     */
    public synchronized void refresh(List<FleetEntry> fleet) {
        for (DumpJobConfig job : jobs.values()) {
            for (VerificationState state : VerificationState.values()) {
                if (state.ended()) {
                    meters.counter(Metric.VERIFICATIONS, state.name(), job.getDumpJobId());
                }
            }
            meters.counter(Metric.RETENTION_EXPIRED, job.getDumpJobId());
            meters.counter(Metric.RETENTION_DELETED, job.getDumpJobId());
        }
        Map<Metric, List<Row>> rows = rows(fleet, jobs.values());
        rows.forEach((metric, list) -> gauges.get(metric).register(list.stream()
                .map(r -> MultiGauge.Row.of(FleetMeters.tags(metric, r.labels().toArray(String[]::new)), r.value()))
                .toList(), true));
    }

    /** The rows of every gauge, from the judgement of every job. */
    static Map<Metric, List<Row>> rows(List<FleetEntry> fleet, Collection<DumpJobConfig> configured) {
        Map<Metric, List<Row>> rows = new EnumMap<>(Metric.class);
        GAUGES.forEach(metric -> rows.put(metric, new ArrayList<>()));
        Map<String, DumpJobConfig> jobs = new HashMap<>();
        configured.forEach(j -> jobs.put(j.getDumpJobId(), j));
        for (FleetEntry entry : fleet) {
            String job = entry.dumpJobId();
            String server = entry.serverName();
            DumpJobConfig config = jobs.get(job);
            if (config != null) {
                rows.get(Metric.DUMP_JOB_INFO).add(new Row(List.of(job, server, config.getName(), config.getState().name()), 1));
            }
            if (entry.intervalSeconds() != null) {
                rows.get(Metric.DUMP_JOB_INTERVAL).add(new Row(List.of(job, server), entry.intervalSeconds()));
            }
            if (entry.newestVerifiedAgeSeconds() != null) {
                rows.get(Metric.NEWEST_VERIFIED_DUMP_AGE).add(new Row(List.of(job, server), entry.newestVerifiedAgeSeconds()));
            }
            if (entry.lastDump() != null) {
                rows.get(Metric.CATALOG_DUMPS).add(new Row(List.of(job, "VERIFIED"), entry.kept().verified()));
                rows.get(Metric.CATALOG_DUMPS).add(new Row(List.of(job, "NOT_VERIFIED"), entry.kept().notVerified()));
                rows.get(Metric.CATALOG_DUMPS).add(new Row(List.of(job, "VERIFICATION_FAILED"), entry.kept().verificationFailed()));
                rows.get(Metric.CATALOG_STORED_BYTES).add(new Row(List.of(job), entry.storedBytes()));
            }
        }
        return rows;
    }
}
