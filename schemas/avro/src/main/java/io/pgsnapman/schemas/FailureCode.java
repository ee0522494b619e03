package io.pgsnapman.schemas;

import io.pgsnapman.events.Failure;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every code a {@link Failure} may carry besides a SQLSTATE: the one catalogue, with whether trying again may
 * help and what the code means. A {@code Failure.code} is either a name listed here or PostgreSQL's five-character
 * SQLSTATE, whose retriability its class decides ({@link #retriableSqlState}). {@code docs/operations.md} lists
 * them all (a test keeps the two in step).
 */
public enum FailureCode {

    // a tool or the worker
    TOOL_FAILED(false, "A client tool failed with a message no rule recognises; the stderr excerpt says why."),
    TOOL_TIMEOUT(true, "A client tool ran longer than the worker's tool-timeout and was killed."),
    TOOL_VERSION(false, "The client tool is older than the server, or refused the server's version."),
    JDBC(false, "A database call failed without a SQLSTATE."),
    WORKER_ERROR(false, "An unexpected error in the worker; its log has the stack trace."),
    CANCELLED(true, "The work stopped between two steps because its lease was lost or the worker is stopping; nothing is published, the request is taken again."),

    // a dump
    SERVER_UNAVAILABLE(false, "The tick's server is not configured (after the unknown-server grace) or does not allow dumps."),
    INVALID_SPEC(false, "The dump job's spec cannot be dumped, e.g. a dump type that needs a database name has none."),
    CHECKSUM_MISMATCH(false, "A file of the dump does not match the SHA-256 its manifest records."),
    UNREADABLE_DUMP(false, "The dump's files cannot be read as a dump (pg_restore --list fails, pg_dumpall's output is cut short)."),

    // a restore (REJECTED unless said otherwise)
    INVALID_REQUEST_ID(false, "The restore request id is empty, longer than 256 characters, or holds control characters."),
    UNKNOWN_TARGET(false, "No server with the target server id is configured (after the unknown-target grace)."),
    TARGET_DISALLOWS_RESTORES(false, "The target server does not allow restores."),
    INVALID_DATABASE_NAME(false, "The target database name is not a valid or allowed PostgreSQL name on the target."),
    INVALID_OPTIONS(false, "The restore options contradict each other or are out of range; field names the option."),
    MISSING_DUMP(false, "The request names neither a dump id nor a source dump job."),
    UNKNOWN_DUMP(false, "No complete dump with that id (or no verified dump of that job) is in the repository."),
    UNSUPPORTED_DUMP_TYPE(false, "The dump's type cannot be restored into a database."),
    DUMP_NOT_VERIFIED(false, "The dump was never verified, so it is not restored."),
    TARGET_EXISTS(false, "The target database exists and the existing-database policy is LEAVE."),
    SCHEMA_MISMATCH(false, "FAILED: TRUNCATE needs the dump's tables on the target, and some are missing."),
    UNKNOWN_RESTORE_JOB(false, "The request names a restore job that is not configured (after the unknown-target grace), so its hooks are unknown."),
    HOOK_FAILED(false, "FAILED: a job's hook failed (SQL: the server's primary message; a script: its exit code and redacted stderr); a dump stores nothing, a restore leaves the target as it was."),
    UNKNOWN_SCRIPT(false, "A job or hook names a script that is not a plain name of an executable file in the worker's scripts directory (or no scripts directory is configured)."),
    SCRIPT_FAILED(false, "A SCRIPT dump's or restore's script exited with a non-zero code; the stderr excerpt (passwords redacted) says why."),
    SCRIPT_TIMEOUT(false, "A script (job or hook) ran longer than the worker's script-timeout; it and its children were killed."),

    // a verification by test restore
    NOT_A_VERIFICATION_SERVER(false, "REJECTED: a VERIFY request's target is not marked as a verification server."),
    CONTENT_MISMATCH(false, "FAILED: a test restore reproduced a table with another row count or content checksum than the dump recorded; the row checks name each table.");

    private static final Pattern SQLSTATE = Pattern.compile("[0-9A-Z]{5}");

    private final boolean retriable;
    private final String meaning;

    FailureCode(boolean retriable, String meaning) {
        this.retriable = retriable;
        this.meaning = meaning;
    }

    /** Whether trying the same work again later may succeed. */
    public boolean retriable() {
        return retriable;
    }

    /** One sentence for operators. */
    public String meaning() {
        return meaning;
    }

    /** A failure with this code, its retriability and the reason; set more fields on the builder. */
    public Failure.Builder failure(String reason) {
        return Failure.newBuilder().setCode(name()).setRetriable(retriable).setReason(reason);
    }

    /** The catalogued code of that name; empty for a SQLSTATE or an unknown code. */
    public static Optional<FailureCode> of(String code) {
        for (FailureCode c : values()) {
            if (c.name().equals(code)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Whether a code is a SQLSTATE rather than one of ours. */
    public static boolean isSqlState(String code) {
        return code != null && SQLSTATE.matcher(code).matches() && of(code).isEmpty();
    }

    /**
     * PostgreSQL's failures worth trying again: connection failures (class 08), insufficient resources (53),
     * the server shutting down or starting (57P01-57P03), serialization failure and deadlock (40001, 40P01),
     * lock not available (55P03). Everything else — authentication, a missing database, permissions, syntax —
     * is permanent.
     */
    public static boolean retriableSqlState(String state) {
        return state.startsWith("08")
                || state.startsWith("53")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || state.equals("40001") || state.equals("40P01")
                || state.equals("55P03");
    }
}
