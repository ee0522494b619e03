package io.pgsnapman.metrics;

import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.restore.RestorePurpose;
import java.time.Duration;

/**
 * What a worker records when work starts and ends. When a dump or restore starts, its counters are registered at
 * zero for every outcome, so the first failure of a job is an increase Prometheus can see rather than a new series.
 */
public final class OutcomeMeters {

    private final FleetMeters meters;

    public OutcomeMeters(FleetMeters meters) {
        this.meters = meters;
    }

    /** A dump of {@code dumpJob} on {@code server} is starting. */
    public void dumpStarting(String server, String dumpJob) {
        for (Outcome outcome : Outcome.values()) {
            meters.counter(Metric.DUMPS, outcome.name(), server, dumpJob);
        }
    }

    /** A dump ended; bytes count only for a successful one. */
    public void dumpFinished(String server, String dumpJob, Outcome outcome, Duration took, long logicalBytes,
            long storedBytes) {
        meters.counter(Metric.DUMPS, outcome.name(), server, dumpJob).increment();
        meters.timer(Metric.DUMP_DURATION, outcome.name(), server, dumpJob).record(nonNegative(took));
        if (outcome == Outcome.SUCCEEDED) {
            meters.counter(Metric.DUMP_LOGICAL_BYTES, server, dumpJob).increment(Math.max(0, logicalBytes));
            meters.counter(Metric.DUMP_STORED_BYTES, server, dumpJob).increment(Math.max(0, storedBytes));
        }
    }

    /** A restore (or test restore) into {@code server} is starting. */
    public void restoreStarting(String server, RestorePurpose purpose) {
        for (Outcome outcome : Outcome.values()) {
            meters.counter(Metric.RESTORES, outcome.name(), server, purpose.name());
        }
    }

    /** A restore request was answered. */
    public void restoreFinished(String server, RestorePurpose purpose, Outcome outcome, Duration took) {
        meters.counter(Metric.RESTORES, outcome.name(), server, purpose.name()).increment();
        meters.timer(Metric.RESTORE_DURATION, outcome.name(), server, purpose.name()).record(nonNegative(took));
    }

    private static Duration nonNegative(Duration took) {
        return took == null || took.isNegative() ? Duration.ZERO : took;
    }
}
