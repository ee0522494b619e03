package io.pgsnapman.service.restoreworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnapman.service.restoreworker.settings.RestoreWorkerProperties;
import io.pgsnapman.testsupport.PropertiesBinding;
import io.pgsnapman.workconsumer.FailurePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class RestoreWorkerPropertiesTest {

    private static final String PREFIX = "pgsnapman.restore-worker";

    @Test
    void everyKeyIsBound() {
        RestoreWorkerProperties p = PropertiesBinding.bind(PREFIX, RestoreWorkerProperties.class, Map.ofEntries(
                Map.entry(PREFIX + ".instance-id", "rw-1"),
                Map.entry(PREFIX + ".worker-pool", "test-envs"),
                Map.entry(PREFIX + ".repository", "/data/repo"),
                Map.entry(PREFIX + ".credentials-dir", "/secrets"),
                Map.entry(PREFIX + ".scratch-dir", "/scratch"),
                Map.entry(PREFIX + ".pipe-files-from", "64MB"),
                Map.entry(PREFIX + ".max-concurrent-restores", "4"),
                Map.entry(PREFIX + ".max-concurrent-verifications", "3"),
                Map.entry(PREFIX + ".tool-timeout", "3h"),
                Map.entry(PREFIX + ".scripts-dir", "/etc/pgsnapman/scripts"),
                Map.entry(PREFIX + ".script-timeout", "20m"),
                Map.entry(PREFIX + ".scripts-work-dir", "/run/scripts"),
                Map.entry(PREFIX + ".lease-stale-after", "90s"),
                Map.entry(PREFIX + ".progress-interval", "15s"),
                Map.entry(PREFIX + ".attempts", "5"),
                Map.entry(PREFIX + ".retry-delay", "10s"),
                Map.entry(PREFIX + ".retry-delay-max", "5m"),
                Map.entry(PREFIX + ".unknown-target-grace", "45s"),
                Map.entry(PREFIX + ".failures.attempts", "7"),
                Map.entry(PREFIX + ".failures.deadline", "1h"),
                Map.entry(PREFIX + ".failures.initial-backoff", "3s"),
                Map.entry(PREFIX + ".failures.max-backoff", "5m"),
                Map.entry(PREFIX + ".failures.jitter", "0.5"),
                Map.entry(PREFIX + ".topics.partitions", "6"),
                Map.entry(PREFIX + ".topics.lag-every", "45s"),
                Map.entry(PREFIX + ".topics.replication-factor", "3")));

        assertThat(p.instanceId()).isEqualTo("rw-1");
        assertThat(p.workerPool()).isEqualTo("test-envs");
        assertThat(p.repository()).isEqualTo(Path.of("/data/repo"));
        assertThat(p.credentialsDir()).isEqualTo(Path.of("/secrets"));
        assertThat(p.scratchDir()).isEqualTo(Path.of("/scratch"));
        assertThat(p.scratch()).as("each worker its own").isEqualTo(Path.of("/scratch/rw-1"));
        assertThat(p.pipeFilesFrom()).isEqualTo(DataSize.ofMegabytes(64));
        assertThat(p.maxConcurrentRestores()).isEqualTo(4);
        assertThat(p.maxConcurrentVerifications()).isEqualTo(3);
        assertThat(p.toolTimeout()).isEqualTo(Duration.ofHours(3));
        assertThat(p.scriptsDir()).isEqualTo(Path.of("/etc/pgsnapman/scripts"));
        assertThat(p.scriptTimeout()).isEqualTo(Duration.ofMinutes(20));
        assertThat(p.scriptsWorkDir()).isEqualTo(Path.of("/run/scripts"));
        assertThat(p.leaseStaleAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThat(p.progressInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(p.attempts()).isEqualTo(5);
        assertThat(p.retryDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.retryDelayMax()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.unknownTargetGrace()).isEqualTo(Duration.ofSeconds(45));
        assertThat(p.failures()).isEqualTo(new FailurePolicy(7, Duration.ofHours(1), Duration.ofSeconds(3), Duration.ofMinutes(5), 0.5));
        assertThat(p.topics().partitions()).isEqualTo(6);
        assertThat(p.topics().lagEvery()).isEqualTo(Duration.ofSeconds(45));
        assertThat(p.topics().replicationFactor()).isEqualTo((short) 3);
    }

    @Test
    void attemptsMustBeAtLeastOne() {
        assertThatThrownBy(() -> PropertiesBinding.bind(PREFIX, RestoreWorkerProperties.class, Map.of(
                PREFIX + ".repository", "/data/repo", PREFIX + ".attempts", "0")))
                .hasStackTraceContaining("attempts");
    }

    @Test
    void theRepositoryIsRequired() {
        assertThatThrownBy(() -> PropertiesBinding.bind(PREFIX, RestoreWorkerProperties.class, Map.of()))
                .hasStackTraceContaining("repository");
    }
}
