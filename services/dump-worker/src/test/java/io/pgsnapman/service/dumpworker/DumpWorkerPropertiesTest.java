package io.pgsnapman.service.dumpworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnapman.service.dumpworker.settings.DumpWorkerProperties;
import io.pgsnapman.testsupport.PropertiesBinding;
import io.pgsnapman.workconsumer.FailurePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DumpWorkerPropertiesTest {

    private static final String PREFIX = "pgsnapman.dump-worker";

    @Test
    void everyKeyIsBound() {
        DumpWorkerProperties p = PropertiesBinding.bind(PREFIX, DumpWorkerProperties.class, Map.ofEntries(
                Map.entry(PREFIX + ".instance-id", "dw-3"),
                Map.entry(PREFIX + ".worker-pool", "eu-west"),
                Map.entry(PREFIX + ".repository", "/data/repo"),
                Map.entry(PREFIX + ".credentials-dir", "/secrets"),
                Map.entry(PREFIX + ".max-concurrent-dumps", "8"),
                Map.entry(PREFIX + ".tool-timeout", "6h"),
                Map.entry(PREFIX + ".scripts-dir", "/etc/pgsnapman/scripts"),
                Map.entry(PREFIX + ".script-timeout", "20m"),
                Map.entry(PREFIX + ".scripts-work-dir", "/run/scripts"),
                Map.entry(PREFIX + ".progress-interval", "10s"),
                Map.entry(PREFIX + ".lease-stale-after", "5m"),
                Map.entry(PREFIX + ".abandoned-write-age", "1d"),
                Map.entry(PREFIX + ".exact-row-counts", "false"),
                Map.entry(PREFIX + ".unknown-server-grace", "1m"),
                Map.entry(PREFIX + ".failures.attempts", "7"),
                Map.entry(PREFIX + ".failures.deadline", "1h"),
                Map.entry(PREFIX + ".failures.initial-backoff", "3s"),
                Map.entry(PREFIX + ".failures.max-backoff", "5m"),
                Map.entry(PREFIX + ".failures.jitter", "0.5"),
                Map.entry(PREFIX + ".topics.partitions", "6"),
                Map.entry(PREFIX + ".topics.lag-every", "45s"),
                Map.entry(PREFIX + ".topics.replication-factor", "3")));

        assertThat(p.instanceId()).isEqualTo("dw-3");
        assertThat(p.workerPool()).isEqualTo("eu-west");
        assertThat(p.repository()).isEqualTo(Path.of("/data/repo"));
        assertThat(p.credentialsDir()).isEqualTo(Path.of("/secrets"));
        assertThat(p.maxConcurrentDumps()).isEqualTo(8);
        assertThat(p.toolTimeout()).isEqualTo(Duration.ofHours(6));
        assertThat(p.scriptsDir()).isEqualTo(Path.of("/etc/pgsnapman/scripts"));
        assertThat(p.scriptTimeout()).isEqualTo(Duration.ofMinutes(20));
        assertThat(p.scriptsWorkDir()).isEqualTo(Path.of("/run/scripts"));
        assertThat(p.progressInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.leaseStaleAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.abandonedWriteAge()).isEqualTo(Duration.ofDays(1));
        assertThat(p.exactRowCounts()).isFalse();
        assertThat(p.unknownServerGrace()).isEqualTo(Duration.ofMinutes(1));
        assertThat(p.failures()).isEqualTo(new FailurePolicy(7, Duration.ofHours(1), Duration.ofSeconds(3), Duration.ofMinutes(5), 0.5));
        assertThat(p.topics().partitions()).isEqualTo(6);
        assertThat(p.topics().lagEvery()).isEqualTo(Duration.ofSeconds(45));
        assertThat(p.topics().replicationFactor()).isEqualTo((short) 3);
    }

    @Test
    void exactRowCountsAreOnByDefault() {
        DumpWorkerProperties p = PropertiesBinding.bind(PREFIX, DumpWorkerProperties.class,
                Map.of(PREFIX + ".repository", "/data/repo"));

        assertThat(p.exactRowCounts()).isTrue();
        assertThat(p.failures()).isEqualTo(FailurePolicy.DEFAULT);
    }

    @Test
    void theRepositoryIsRequired() {
        assertThatThrownBy(() -> PropertiesBinding.bind(PREFIX, DumpWorkerProperties.class, Map.of()))
                .hasStackTraceContaining("repository");
    }
}
