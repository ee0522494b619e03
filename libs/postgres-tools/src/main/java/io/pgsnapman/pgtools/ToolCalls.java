package io.pgsnapman.pgtools;

import io.pgsnapman.events.Failure;
import java.time.Duration;
import java.util.List;

/**
 * Runs client tools against a database as one worker does: its {@code application_name}, its password from the
 * environment, its tool timeout; a tool that fails becomes a {@link Failure} naming that timeout.
 */
public final class ToolCalls {

    private final ToolRunner runner;
    private final String applicationName;
    private final Duration timeout;

    public ToolCalls(ToolRunner runner, String applicationName, Duration timeout) {
        this.runner = runner;
        this.applicationName = applicationName;
        this.timeout = timeout;
    }

    /** Runs {@code command} connected as {@code connection} says. */
    public ToolResult run(List<String> command, PgConnection connection) {
        return runner.run(command, connection.environment(applicationName), timeout, null);
    }

    /** Runs {@code first | second}, both connected as {@code connection} says. */
    public ToolResult pipe(List<String> first, List<String> second, PgConnection connection) {
        return runner.pipe(first, second, connection.environment(applicationName), timeout);
    }

    /** How {@code tool} failed, by its exit code or this timeout, its stderr classified. */
    public Failure failure(String tool, ToolResult result) {
        return PgFailures.ofTool(tool, result, timeout);
    }

    /** The runner, for tools that need no connection (e.g. {@code pg_restore --list}). */
    public ToolRunner runner() {
        return runner;
    }

    public Duration timeout() {
        return timeout;
    }
}
