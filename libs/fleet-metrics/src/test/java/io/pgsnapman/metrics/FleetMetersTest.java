package io.pgsnapman.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.restore.RestorePurpose;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetMetersTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final FleetMeters meters = new FleetMeters(registry);

    @Test
    void everyCataloguedMetricIsExposedUnderItsPrometheusNameWithItsHelpAndLabels() {
        // Given one meter of every metric of the catalogue
        for (Metric metric : Metric.values()) {
            String[] values = metric.labelKeys().stream().map(k -> "x").toArray(String[]::new);
            switch (metric.type()) {
                case COUNTER -> meters.counter(metric, values).increment();
                case TIMER -> meters.timer(metric, values).record(Duration.ofSeconds(3));
                case GAUGE -> meters.gauge(metric, () -> 7, values);
            }
        }
        // When Prometheus scrapes
        String scraped = registry.scrape();
        // Then each appears as the catalogue says, with its description and exactly its labels
        for (Metric metric : Metric.values()) {
            assertThat(scraped).as(metric.name()).contains("# HELP " + metric.prometheusName() + " " + metric.help());
            for (String series : metric.seriesNames()) {
                List<String> lines = Arrays.stream(scraped.split("\n")).filter(l -> l.startsWith(series + "{") || l.startsWith(series + " ")).toList();
                assertThat(lines).as(series).isNotEmpty();
                for (String key : metric.labelKeys()) {
                    assertThat(lines.get(0)).as(series).contains(key + "=\"x\"");
                }
            }
        }
    }

    @Test
    void aTimerHasTheFixedBucketsFromASecondToADay() {
        meters.timer(Metric.DUMP_DURATION, "SUCCEEDED", "prod", "job-1").record(Duration.ofMinutes(3));

        String scraped = registry.scrape();

        assertThat(scraped).contains("pgsnapman_dump_duration_seconds_bucket{dump_job=\"job-1\",outcome=\"SUCCEEDED\",server=\"prod\",le=\"120.0\"} 0")
                .contains("pgsnapman_dump_duration_seconds_bucket{dump_job=\"job-1\",outcome=\"SUCCEEDED\",server=\"prod\",le=\"300.0\"} 1")
                .contains("le=\"86400.0\"");
    }

    @Test
    void theWrongNumberOfLabelValuesOrTheWrongTypeFailsAtOnce() {
        assertThatThrownBy(() -> meters.counter(Metric.DUMPS, "SUCCEEDED"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[outcome, server, dump_job]");
        assertThatThrownBy(() -> meters.timer(Metric.DUMPS, "a", "b", "c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("COUNTER");
    }

    @Test
    void aStartingDumpRegistersEveryOutcomeAtZeroSoItsFirstFailureIsAnIncrease() {
        OutcomeMeters outcomes = new OutcomeMeters(meters);

        outcomes.dumpStarting("prod", "job-1");
        String before = registry.scrape();
        outcomes.dumpFinished("prod", "job-1", Outcome.FAILED, Duration.ofSeconds(2), 100, 50);
        String after = registry.scrape();

        assertThat(before).contains("pgsnapman_dumps_total{dump_job=\"job-1\",outcome=\"FAILED\",server=\"prod\"} 0.0");
        assertThat(after).contains("pgsnapman_dumps_total{dump_job=\"job-1\",outcome=\"FAILED\",server=\"prod\"} 1.0")
                .contains("pgsnapman_dumps_total{dump_job=\"job-1\",outcome=\"SUCCEEDED\",server=\"prod\"} 0.0")
                .doesNotContain("pgsnapman_dump_logical_bytes_total{");
    }

    @Test
    void aSuccessfulDumpCountsItsLogicalAndStoredBytes() {
        OutcomeMeters outcomes = new OutcomeMeters(meters);

        outcomes.dumpFinished("prod", "job-1", Outcome.SUCCEEDED, Duration.ofSeconds(2), 1000, 300);
        outcomes.dumpFinished("prod", "job-1", Outcome.SUCCEEDED, Duration.ofSeconds(2), 1000, 20);

        assertThat(registry.scrape()).contains("pgsnapman_dump_logical_bytes_total{dump_job=\"job-1\",server=\"prod\"} 2000.0")
                .contains("pgsnapman_dump_stored_bytes_total{dump_job=\"job-1\",server=\"prod\"} 320.0");
    }

    @Test
    void restoresAreCountedByPurpose() {
        OutcomeMeters outcomes = new OutcomeMeters(meters);

        outcomes.restoreStarting("test", RestorePurpose.VERIFY);
        outcomes.restoreFinished("test", RestorePurpose.VERIFY, Outcome.SUCCEEDED, Duration.ofSeconds(9));

        assertThat(registry.scrape())
                .contains("pgsnapman_restores_total{outcome=\"SUCCEEDED\",purpose=\"VERIFY\",server=\"test\"} 1.0")
                .contains("pgsnapman_restores_total{outcome=\"REJECTED\",purpose=\"VERIFY\",server=\"test\"} 0.0")
                .contains("pgsnapman_restore_duration_seconds_count{outcome=\"SUCCEEDED\",purpose=\"VERIFY\",server=\"test\"} 1");
    }

    @Test
    void aMultiGaugeKeepsOnlyTheRowsOfItsLastRegistration() {
        MultiGauge ages = meters.multiGauge(Metric.NEWEST_VERIFIED_DUMP_AGE);

        ages.register(List.of(MultiGauge.Row.of(FleetMeters.tags(Metric.NEWEST_VERIFIED_DUMP_AGE, "job-1", "prod"), 10),
                MultiGauge.Row.of(FleetMeters.tags(Metric.NEWEST_VERIFIED_DUMP_AGE, "job-2", "prod"), 20)), true);
        ages.register(List.of(MultiGauge.Row.of(FleetMeters.tags(Metric.NEWEST_VERIFIED_DUMP_AGE, "job-2", "prod"), 5)), true);

        assertThat(registry.scrape()).contains("pgsnapman_newest_verified_dump_age_seconds{dump_job=\"job-2\",server=\"prod\"} 5.0")
                .doesNotContain("dump_job=\"job-1\"");
    }
}
