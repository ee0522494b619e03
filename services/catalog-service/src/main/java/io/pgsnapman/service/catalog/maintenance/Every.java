package io.pgsnapman.service.catalog.maintenance;

import java.time.Duration;
import java.time.Instant;

/**
 * How often a piece of maintenance runs: due when it never ran or ran {@code interval} ago or longer; a zero
 * interval never runs it.
 */
record Every(Duration interval) {

    static final Every NEVER = new Every(Duration.ZERO);

    Every {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("a maintenance interval cannot be negative: " + interval);
        }
    }

    /** Whether it is due at {@code now}, having last run at {@code last} (null: never). */
    boolean due(Instant last, Instant now) {
        if (interval.isZero()) {
            return false;
        }
        return last == null || !now.isBefore(last.plus(interval));
    }
}
