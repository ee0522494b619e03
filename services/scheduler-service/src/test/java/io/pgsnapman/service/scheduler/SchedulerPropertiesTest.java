package io.pgsnapman.service.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnapman.service.scheduler.settings.SchedulerProperties;
import io.pgsnapman.testsupport.PropertiesBinding;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerPropertiesTest {

    private static final String PREFIX = "pgsnapman.scheduler";

    @Test
    void everyKeyIsBound() {
        SchedulerProperties p = PropertiesBinding.bind(PREFIX, SchedulerProperties.class, Map.of(
                PREFIX + ".instance-id", "sched-2",
                PREFIX + ".tick-interval", "500ms",
                PREFIX + ".catch-up-grace", "5m",
                PREFIX + ".transactional-id", "pgsnapman-scheduler-eu",
                PREFIX + ".retries", "7",
                PREFIX + ".topics.partitions", "12",
                PREFIX + ".topics.lag-every", "45s",
                PREFIX + ".topics.replication-factor", "3"));

        assertThat(p.instanceId()).isEqualTo("sched-2");
        assertThat(p.tickInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(p.catchUpGrace()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.transactionalId()).isEqualTo("pgsnapman-scheduler-eu");
        assertThat(p.retries()).isEqualTo(7);
        assertThat(p.topics().partitions()).isEqualTo(12);
        assertThat(p.topics().lagEvery()).isEqualTo(Duration.ofSeconds(45));
        assertThat(p.topics().replicationFactor()).isEqualTo((short) 3);
    }

    @Test
    void defaults() {
        SchedulerProperties p = PropertiesBinding.bind(PREFIX, SchedulerProperties.class, Map.of());

        assertThat(p.tickInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.catchUpGrace()).isEqualTo(Duration.ofMinutes(1));
        assertThat(p.transactionalId()).isEqualTo("pgsnapman-scheduler");
    }

    @Test
    void zeroPartitionsAreRefused() {
        assertThatThrownBy(() -> PropertiesBinding.bind(PREFIX, SchedulerProperties.class,
                Map.of(PREFIX + ".topics.partitions", "0"))).hasStackTraceContaining("partitions");
    }
}
