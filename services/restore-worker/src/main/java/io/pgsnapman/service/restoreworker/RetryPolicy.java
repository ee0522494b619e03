package io.pgsnapman.service.restoreworker;

import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.service.restoreworker.settings.RestoreWorkerProperties;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether a restore is tried again: only after a FAILED attempt whose failure is retriable (as
 * {@link io.pgsnapman.pgtools.PgErrorClassifier} decided: target unreachable, too many connections, lock or
 * deadlock, server restarting, tool timeout), while attempts remain. The wait doubles from {@code firstDelay}
 * up to {@code maxDelay}. SUCCEEDED, REJECTED and permanent failures such as a damaged dump are final at once.
 *
 * @param attempts   attempts in all, at least 1 (1: never again)
 * @param firstDelay wait before the second attempt
 * @param maxDelay   longest wait between two attempts
 */
record RetryPolicy(int attempts, Duration firstDelay, Duration maxDelay) {

    RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
        }
        if (firstDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("retry delays must not be negative: " + firstDelay + ", " + maxDelay);
        }
    }

    static RetryPolicy of(RestoreWorkerProperties properties) {
        return new RetryPolicy(properties.attempts(), properties.retryDelay(), properties.retryDelayMax());
    }

    /** The wait before the next attempt after {@code outcome} of attempt number {@code attempt}; empty when final. */
    Optional<Duration> delayAfter(int attempt, RestoreCompleted outcome) {
        boolean retriable = outcome.getOutcome() == Outcome.FAILED && outcome.getFailure() != null
                && outcome.getFailure().getRetriable();
        if (!retriable || attempt >= attempts) {
            return Optional.empty();
        }
        Duration delay = firstDelay;
        for (int i = 1; i < attempt && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return Optional.of(delay.compareTo(maxDelay) > 0 ? maxDelay : delay);
    }
}
