package io.pgsnapman.service.catalog.settings;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the operator dashboard and its activity stream (under {@code pgsnapman.catalog.dashboard}).
 *
 * @param recentEvents  activity events kept in memory and shown to a page when it connects
 * @param streamTimeout how long one activity stream stays open (the page reconnects)
 * @param heartbeat     how often an open stream gets a comment, so idle connections stay open and closed ones end
 */
public record DashboardProperties(
        @DefaultValue("200") @Min(10) @Max(10_000) int recentEvents,
        @DefaultValue("30m") @NotNull Duration streamTimeout,
        @DefaultValue("15s") @NotNull Duration heartbeat) {}
