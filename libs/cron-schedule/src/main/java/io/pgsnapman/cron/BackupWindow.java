package io.pgsnapman.cron;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A daily window of local times in a zone (it may span midnight, e.g. 23:00-04:00). A tick inside it is
 * delayed by a random amount that keeps it inside the window, so a fleet's dumps spread over the night
 * instead of all starting at the cron minute. A tick outside the window is not delayed.
 */
public final class BackupWindow {

    private final LocalTime start;
    private final LocalTime end;
    private final ZoneId zone;

    private BackupWindow(LocalTime start, LocalTime end, ZoneId zone) {
        this.start = start;
        this.end = end;
        this.zone = zone;
    }

    public static BackupWindow of(String start, String end, ZoneId zone) {
        LocalTime from = time(start, "start");
        LocalTime to = time(end, "end");
        if (from.equals(to)) {
            throw new IllegalArgumentException("backup window start and end are both " + start);
        }
        return new BackupWindow(from, to, zone);
    }

    /** Why {@code HH:mm} is invalid, or empty. */
    public static Optional<String> problemWithTime(String value) {
        try {
            time(value, "time");
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static LocalTime time(String value, String what) {
        if (value == null || !value.matches("\\d{2}:\\d{2}")) {
            throw new IllegalArgumentException("backup window " + what + " '" + value + "' must be HH:mm");
        }
        try {
            return LocalTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("backup window " + what + " '" + value + "' is not a time of day", e);
        }
    }

    /** How long from {@code tick} until the window closes, if the tick is inside it. */
    public Optional<Duration> remainingAt(Instant tick) {
        ZonedDateTime local = tick.atZone(zone);
        LocalTime t = local.toLocalTime();
        boolean spansMidnight = end.isBefore(start);
        boolean inside = spansMidnight ? !t.isBefore(start) || t.isBefore(end) : !t.isBefore(start) && t.isBefore(end);
        if (!inside) {
            return Optional.empty();
        }
        ZonedDateTime close = local.with(end);
        if (!close.isAfter(local)) {
            close = close.plusDays(1).with(end);
        }
        return Optional.of(Duration.between(local, close));
    }

    /** The instant a tick should start: itself plus a random delay that stays inside the window. */
    public Instant delayed(Instant tick, RandomGenerator random) {
        return remainingAt(tick)
                .map(remaining -> tick.plusSeconds(random.nextLong(Math.max(1, remaining.toSeconds()))))
                .orElse(tick);
    }
}
