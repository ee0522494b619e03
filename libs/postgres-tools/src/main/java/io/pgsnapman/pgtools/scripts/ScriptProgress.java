package io.pgsnapman.pgtools.scripts;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A progress line a script writes on standard output: {@code PROGRESS <done>[/<total>] [message]}, e.g.
 * {@code PROGRESS 1/2 copied customers}. The worker turns each into an activity event; other lines are output.
 *
 * @param done    steps (or units) done so far
 * @param total   how many there are, when the script knows
 * @param message what the script is doing, at most {@link #MAX_MESSAGE} characters (redacted)
 */
public record ScriptProgress(long done, Long total, String message) {

    /** Longest message kept. */
    public static final int MAX_MESSAGE = 200;

    private static final Pattern LINE = Pattern.compile("PROGRESS\\s+(\\d{1,15})(?:/(\\d{1,15}))?(?:\\s+(.*))?");

    /** The progress a line reports, if it is a progress line. */
    public static Optional<ScriptProgress> parse(String line) {
        Matcher m = LINE.matcher(line.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String message = m.group(3) == null ? "" : m.group(3).strip();
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE);
        }
        return Optional.of(new ScriptProgress(Long.parseLong(m.group(1)),
                m.group(2) == null ? null : Long.parseLong(m.group(2)), message));
    }
}
