package io.pgsnapman.pgtools;

import io.pgsnapman.events.Failure;
import java.sql.SQLException;

/**
 * A failed database call or client tool as the {@link Failure} of an outcome: its code and retriability from
 * the {@link PgErrorClassifier}, the tool's exit code and standard error. Never a password: neither messages
 * nor stderr of the tools carry one (passwords travel in the environment).
 */
public final class PgFailures {

    private static final PgErrorClassifier CLASSIFIER = new PgErrorClassifier();

    private PgFailures() {}

    /** A failed JDBC call. */
    public static Failure of(SQLException e) {
        PgErrorClassifier.Classification c = CLASSIFIER.classify(e);
        return Failure.newBuilder().setReason(e.getMessage()).setCode(c.code()).setRetriable(c.retriable()).build();
    }

    /**
     * A failed tool, the reason saying how: "pg_dump exited with 1", "pg_restore timed out after PT6H".
     *
     * @param timeout the time the tool was given
     */
    public static Failure ofTool(String tool, ToolResult result, java.time.Duration timeout) {
        return of(tool + (result.timedOut() ? " timed out after " + timeout : " exited with " + result.exitCode()), result);
    }

    /** A failed tool, with the reason to show (e.g. "pg_dump exited with 1"). */
    public static Failure of(String reason, ToolResult result) {
        PgErrorClassifier.Classification c = CLASSIFIER.classify(result);
        String stderr = result.stderr();
        return Failure.newBuilder().setReason(reason).setCode(c.code()).setExitCode(result.exitCode())
                .setStderrExcerpt(stderr == null || stderr.isBlank() ? null : stderr.strip())
                .setRetriable(c.retriable()).build();
    }
}
