package io.pgsnapman.pgtools;

import java.time.Duration;

/**
 * How a client tool run ended.
 *
 * @param exitCode the process exit code (-1 when it was killed on time-out)
 * @param stdout   standard output, when captured (else empty)
 * @param stderr   the last part of standard error (at most {@link ToolRunner#STDERR_LIMIT} characters)
 * @param elapsed  wall-clock time
 * @param timedOut whether it was killed for running too long
 */
public record ToolResult(int exitCode, String stdout, String stderr, Duration elapsed, boolean timedOut) {

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }
}
