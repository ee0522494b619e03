package io.pgsnapman.cron;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.scheduling.support.CronExpression;

/**
 * A classic 5-field cron expression (minute hour day-of-month month day-of-week) evaluated in an IANA time
 * zone. DST is handled the way the wall clock is: a time skipped by a spring-forward gap fires at the first
 * valid instant after it, a time that occurs twice in a fall-back fires once. Macros such as
 * {@code @daily} are accepted.
 */
public final class CronSchedule {

    private final String expression;
    private final ZoneId zone;
    private final CronExpression cron;

    private CronSchedule(String expression, ZoneId zone, CronExpression cron) {
        this.expression = expression;
        this.zone = zone;
        this.cron = cron;
    }

    /** Parses, or throws {@link IllegalArgumentException} with a message fit for an API error. */
    private static final int MAX_GAP_FIRINGS = 20_000;

    public static CronSchedule parse(String expression, String timeZone) {
        return new CronSchedule(expression, zone(timeZone), cronOf(expression));
    }

    /** Why the expression is invalid, or empty when it is valid. */
    public static Optional<String> problemWithExpression(String expression) {
        try {
            cronOf(expression);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Why the time zone is invalid, or empty when it is a known IANA zone. */
    public static Optional<String> problemWithTimeZone(String timeZone) {
        try {
            zone(timeZone);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static CronExpression cronOf(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("cron expression is empty");
        }
        String trimmed = expression.strip();
        String sixFields;
        if (trimmed.startsWith("@")) {
            sixFields = trimmed;
        } else {
            String[] fields = trimmed.split("\\s+");
            if (fields.length != 5) {
                throw new IllegalArgumentException("cron expression '" + expression + "' has " + fields.length
                        + " fields; expected 5 (minute hour day-of-month month day-of-week)");
            }
            sixFields = "0 " + trimmed;
        }
        try {
            return CronExpression.parse(sixFields);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cron expression '" + expression + "': " + e.getMessage(), e);
        }
    }

    private static ZoneId zone(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            throw new IllegalArgumentException("time zone is empty");
        }
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + timeZone + "' (use an IANA name such as Europe/Berlin)", e);
        }
    }

    /**
     * The first firing strictly after {@code after}, or empty if there is none (e.g. 30 February).
     * Evaluated on the local wall clock, then placed on the time line: in a spring-forward gap at the end of
     * the gap, in a fall-back overlap at the first occurrence only.
     */
    public Optional<Instant> nextAfter(Instant after) {
        ZoneRules rules = zone.getRules();
        LocalDateTime candidate = cron.next(after.atZone(zone).toLocalDateTime());
        while (candidate != null) {
            List<ZoneOffset> offsets = rules.getValidOffsets(candidate);
            LocalDateTime local = candidate;
            Instant instant = offsets.isEmpty()
                    ? rules.getTransition(candidate).getInstant()
                    : offsets.stream().map(local::toInstant).min(Comparator.naturalOrder()).orElseThrow(); // first occurrence
            if (instant.isAfter(after)) {
                return Optional.of(instant);
            }
            candidate = cron.next(candidate);
        }
        return Optional.empty();
    }

    /**
     * The longest time between two consecutive firings after {@code from}, looking at the firings up to
     * {@code horizon} ahead (and at least two, however far apart): what "on time" means for a backup made by it.
     * Empty when it fires fewer than twice.
     */
    public Optional<Duration> longestGap(Instant from, Duration horizon) {
        Instant until = from.plus(horizon);
        Optional<Instant> previous = nextAfter(from);
        Duration longest = null;
        for (int i = 0; previous.isPresent() && i < MAX_GAP_FIRINGS; i++) {
            Optional<Instant> next = nextAfter(previous.get());
            if (next.isEmpty()) {
                break;
            }
            Duration gap = Duration.between(previous.get(), next.get());
            longest = longest == null || gap.compareTo(longest) > 0 ? gap : longest;
            previous = next;
            if (next.get().isAfter(until)) {
                break;
            }
        }
        return Optional.ofNullable(longest);
    }

    /** The last firing at or before {@code at}, searching back at most {@code lookBackFrom}; empty if none. */
    public Optional<Instant> latestAtOrBefore(Instant at, Instant lookBackFrom) {
        Optional<Instant> latest = Optional.empty();
        Optional<Instant> candidate = nextAfter(lookBackFrom.minusMillis(1));
        while (candidate.isPresent() && !candidate.get().isAfter(at)) {
            latest = candidate;
            candidate = nextAfter(candidate.get());
        }
        return latest;
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }
}
