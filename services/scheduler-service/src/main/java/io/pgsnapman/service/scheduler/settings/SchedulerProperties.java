package io.pgsnapman.service.scheduler.settings;

import io.pgsnapman.topicadmin.TopicSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of scheduler-service, under {@code pgsnapman.scheduler}. Kafka and the registry use Spring
 * Boot's {@code spring.kafka.*} keys.
 *
 * @param instanceId      this replica's name in event headers
 * @param tickInterval    how often due jobs are looked for (the lateness of a tick is at most this)
 * @param catchUpGrace    a tick fired later than this after its cron instant is marked as a catch-up
 * @param transactionalId Kafka transactional id shared by all replicas: a replica that lost leadership but
 *                        still tries to publish is fenced off by the broker
 * @param retries         attempts after the first for a dump outcome whose fan-out fails, before it goes to
 *                        {@code pgsnapman.dump.completed-dlt}
 * @param topics          how missing topics are created
 */
@ConfigurationProperties("pgsnapman.scheduler")
@Validated
public record SchedulerProperties(
        @DefaultValue("scheduler-service") @NotBlank String instanceId,
        @DefaultValue("1s") @NotNull Duration tickInterval,
        @DefaultValue("1m") @NotNull Duration catchUpGrace,
        @DefaultValue(SchedulerProperties.DEFAULT_TRANSACTIONAL_ID) @NotBlank String transactionalId,
        @DefaultValue("3") @Min(0) @Max(100) int retries,
        @DefaultValue @Valid TopicSettings topics) {

    /** The transactional id all replicas share unless configured otherwise (the Kafka ACLs grant this one). */
    public static final String DEFAULT_TRANSACTIONAL_ID = "pgsnapman-scheduler";


}
