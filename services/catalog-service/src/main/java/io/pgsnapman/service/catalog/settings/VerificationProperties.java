package io.pgsnapman.service.catalog.settings;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of verification by test restore (under {@code pgsnapman.catalog.verification}); which dumps get one is
 * each dump job's policy, where they run each verification server's own.
 *
 * @param dispatchEvery how often planned test restores are looked at for a free verification server, besides
 *                      after each plan and each outcome
 * @param answerTimeout a test restore with no outcome after this long ends in ERROR, freeing its server's slot and
 *                      budget (a worker lost with the request)
 */
public record VerificationProperties(
        @DefaultValue("30s") @NotNull Duration dispatchEvery,
        @DefaultValue("24h") @NotNull Duration answerTimeout) {}
