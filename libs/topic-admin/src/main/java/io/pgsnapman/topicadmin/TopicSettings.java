package io.pgsnapman.topicadmin;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service creates the topics it uses when they are missing, and how often it reads its consumer groups' lag
 * (nested as {@code topics} in each service's settings).
 *
 * @param partitions        partitions of a topic the service creates (unless the topic fixes its own)
 * @param replicationFactor replication factor of a topic the service creates
 * @param lagEvery          how often the lag of the service's consumer groups is read from the broker for the
 *                          {@code pgsnapman_consumer_lag} metric
 */
public record TopicSettings(
        @DefaultValue("3") @Min(1) @Max(1000) int partitions,
        @DefaultValue("1") @Min(1) @Max(10) short replicationFactor,
        @DefaultValue("30s") @NotNull Duration lagEvery) {}
