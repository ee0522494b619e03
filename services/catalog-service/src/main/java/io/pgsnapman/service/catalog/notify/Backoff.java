package io.pgsnapman.service.catalog.notify;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Capped exponential backoff with jitter for notification retries: first, 2 × first, 4 × first … up to max, ±20 %. */
public record Backoff(Duration first, Duration max, int attempts) {

    /** The wait after the {@code failures}-th failed attempt (1-based). */
    public Duration after(int failures, RandomGenerator random) {
        double base = first.toMillis() * Math.pow(2, Math.max(0, failures - 1));
        double capped = Math.min(base, max.toMillis());
        double jitter = 0.8 + 0.4 * random.nextDouble();
        return Duration.ofMillis(Math.round(capped * jitter));
    }

    /** Whether a notification that failed this often is given up. */
    public boolean exhausted(int failures) {
        return failures >= attempts;
    }
}
