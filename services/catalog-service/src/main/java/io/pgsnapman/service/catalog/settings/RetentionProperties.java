package io.pgsnapman.service.catalog.settings;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retention's settings (under {@code pgsnapman.catalog.retention}); the keep counts are each dump job's own.
 *
 * @param every           how often every job's retention is applied, besides after each of its dumps; {@code 0s}:
 *                        only after dumps and when asked
 * @param deletedJobGrace how long the dumps of a deleted dump job stay (pinned and in-use ones stay for good)
 */
public record RetentionProperties(
        @DefaultValue("1h") @NotNull Duration every,
        @DefaultValue("30d") @NotNull Duration deletedJobGrace) {}
