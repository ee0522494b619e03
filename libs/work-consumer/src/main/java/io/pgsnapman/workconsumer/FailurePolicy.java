package io.pgsnapman.workconsumer;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What a consumer does with a record whose work failed: try again after a capped exponential backoff with
 * jitter, until the attempts or the deadline (from the first failure) run out; then the record is
 * dead-lettered. One object, so every consumer of PgSnapMan gives up the same way and none re-queues for ever.
 * Nested as {@code failures} in each worker's settings.
 *
 * @param attempts       runs at most, the first included (at least 1)
 * @param deadline       no new attempt starts later than this after the first failure
 * @param initialBackoff wait after the first failure
 * @param maxBackoff     the wait doubles after each failure up to this
 * @param jitter         each wait is spread by up to this fraction either way (0 to 1), so replicas do not retry in step
 */
public record FailurePolicy(
        @DefaultValue("5") @Min(1) int attempts,
        @DefaultValue("30m") @NotNull Duration deadline,
        @DefaultValue("2s") @NotNull Duration initialBackoff,
        @DefaultValue("2m") @NotNull Duration maxBackoff,
        @DefaultValue("0.2") @DecimalMin("0") @DecimalMax("1") double jitter) {

    /** Five attempts within half an hour, waiting about 2 s, 4 s, 8 s, 16 s (±20 %); also the settings' defaults. */
    public static final FailurePolicy DEFAULT =
            new FailurePolicy(5, Duration.ofMinutes(30), Duration.ofSeconds(2), Duration.ofMinutes(2), 0.2);

    public FailurePolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        if (deadline.isNegative() || initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("deadline and backoffs must not be negative, and maxBackoff >= initialBackoff");
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
    }

    /**
     * The wait before the next attempt, or empty to give up.
     *
     * @param failures         failures so far, this one included (1 after the first)
     * @param sinceFirstFailure time since the first failure
     * @param random           source of the jitter
     */
    public Optional<Duration> retryAfter(int failures, Duration sinceFirstFailure, RandomGenerator random) {
        if (failures >= attempts) {
            return Optional.empty();
        }
        Duration wait = backoff(failures);
        if (jitter > 0) {
            double factor = 1 + jitter * (2 * random.nextDouble() - 1);
            wait = Duration.ofMillis(Math.round(wait.toMillis() * factor));
        }
        if (sinceFirstFailure.plus(wait).compareTo(deadline) > 0) {
            return Optional.empty();
        }
        return Optional.of(wait);
    }

    /** The wait without jitter after {@code failures} failures: initial × 2^(failures−1), capped. */
    public Duration backoff(int failures) {
        long initial = initialBackoff.toMillis();
        int doublings = Math.min(Math.max(0, failures - 1), 40);
        long millis = initial > 0 && doublings > 0 && initial > Long.MAX_VALUE >> doublings ? Long.MAX_VALUE : initial << doublings;
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
