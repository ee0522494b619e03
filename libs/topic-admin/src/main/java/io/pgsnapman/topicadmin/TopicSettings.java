package io.pgsnapman.topicadmin;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service creates the topics it uses when they are missing (nested as {@code topics} in each
 * service's settings).
 *
 * @param partitions        partitions of a topic the service creates (unless the topic fixes its own)
 * @param replicationFactor replication factor of a topic the service creates
 */
public record TopicSettings(
        @DefaultValue("3") @Min(1) @Max(1000) int partitions,
        @DefaultValue("1") @Min(1) @Max(10) short replicationFactor) {}
