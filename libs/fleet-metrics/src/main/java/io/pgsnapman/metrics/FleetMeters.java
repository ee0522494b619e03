package io.pgsnapman.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Meters of the {@link Metric} catalogue on one registry: each is built with its catalogued name, unit, help and
 * labels, and a call with the wrong number of label values fails at once. Timers publish fixed buckets from one
 * second to a day, the range of dumps and restores.
 */
public final class FleetMeters {

    /** The histogram buckets of {@link Metric.Type#TIMER} metrics. */
    public static final List<Duration> BUCKETS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
            Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1),
            Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8), Duration.ofHours(24));

    private final MeterRegistry registry;

    public FleetMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The counter of {@code metric} with these label values, in the catalogue's label order. */
    public Counter counter(Metric metric, String... labelValues) {
        expect(metric, Metric.Type.COUNTER);
        Counter.Builder builder = Counter.builder(metric.meterName()).description(metric.help())
                .tags(tags(metric, labelValues));
        if (metric.baseUnit() != null) {
            builder.baseUnit(metric.baseUnit());
        }
        return builder.register(registry);
    }

    /** The timer of {@code metric} with these label values. */
    public Timer timer(Metric metric, String... labelValues) {
        expect(metric, Metric.Type.TIMER);
        return Timer.builder(metric.meterName()).description(metric.help()).tags(tags(metric, labelValues))
                .serviceLevelObjectives(BUCKETS.toArray(Duration[]::new))
                .register(registry);
    }

    /** A gauge of {@code metric} reading {@code value} whenever it is scraped. */
    public void gauge(Metric metric, Supplier<Number> value, String... labelValues) {
        expect(metric, Metric.Type.GAUGE);
        Gauge.Builder<Supplier<Number>> builder = Gauge.builder(metric.meterName(), value)
                .description(metric.help()).tags(tags(metric, labelValues)).strongReference(true);
        if (metric.baseUnit() != null) {
            builder.baseUnit(metric.baseUnit());
        }
        builder.register(registry);
    }

    /** A gauge of {@code metric} whose label sets change: each {@link MultiGauge#register} replaces the rows. */
    public MultiGauge multiGauge(Metric metric) {
        expect(metric, Metric.Type.GAUGE);
        MultiGauge.Builder builder = MultiGauge.builder(metric.meterName()).description(metric.help());
        if (metric.baseUnit() != null) {
            builder.baseUnit(metric.baseUnit());
        }
        return builder.register(registry);
    }

    /** The tags of one row of a {@link #multiGauge}, checked against the catalogue. */
    public static Tags tags(Metric metric, String... labelValues) {
        List<String> keys = metric.labelKeys();
        if (labelValues.length != keys.size()) {
            throw new IllegalArgumentException(metric + " takes the labels " + keys + ", got " + labelValues.length + " values");
        }
        Tags tags = Tags.empty();
        for (int i = 0; i < labelValues.length; i++) {
            tags = tags.and(keys.get(i), labelValues[i] == null ? "" : labelValues[i]);
        }
        return tags;
    }

    private static void expect(Metric metric, Metric.Type type) {
        if (metric.type() != type) {
            throw new IllegalArgumentException(metric + " is a " + metric.type() + ", not a " + type);
        }
    }
}
