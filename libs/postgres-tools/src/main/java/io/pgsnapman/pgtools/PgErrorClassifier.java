package io.pgsnapman.pgtools;

import io.pgsnapman.schemas.FailureCode;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives a failed database call or client tool its code: the SQLSTATE of a JDBC error, or one recognised in a
 * tool's message (client tools print none), else a {@link FailureCode}. Whether a code is worth retrying is
 * the catalogue's answer ({@link FailureCode#retriableSqlState}, {@link FailureCode#retriable()}).
 */
public final class PgErrorClassifier {

    /**
     * @param retriable whether trying again later may succeed
     * @param code      SQLSTATE when known, else a {@link FailureCode} name such as TOOL_TIMEOUT or TOOL_FAILED
     */
    public record Classification(boolean retriable, String code) {}

    private record Rule(Pattern pattern, String code) {
        Classification classification() {
            return FailureCode.of(code).map(PgErrorClassifier::of)
                    .orElseGet(() -> new Classification(FailureCode.retriableSqlState(code), code));
        }
    }

    private static final List<Rule> TOOL_MESSAGES = List.of(
            new Rule(Pattern.compile("database \".*\" does not exist"), "3D000"),
            new Rule(Pattern.compile("password authentication failed|no password supplied|authentication failed"), "28P01"),
            new Rule(Pattern.compile("no pg_hba\\.conf entry"), "28000"),
            new Rule(Pattern.compile("role \".*\" does not exist"), "28000"),
            new Rule(Pattern.compile("permission denied"), "42501"),
            new Rule(Pattern.compile("server version mismatch|aborting because of server version mismatch"), "TOOL_VERSION"),
            new Rule(Pattern.compile("the database system is (starting up|shutting down|in recovery mode)"), "57P03"),
            new Rule(Pattern.compile("terminating connection due to administrator command"), "57P01"),
            new Rule(Pattern.compile("could not obtain lock|lock timeout|canceling statement due to lock timeout"), "55P03"),
            new Rule(Pattern.compile("too many connections|remaining connection slots are reserved"), "53300"),
            new Rule(Pattern.compile("could not connect|connection refused|connection to server .* failed|timeout expired"
                    + "|server closed the connection unexpectedly|could not translate host name"), "08006"));

    private static final Pattern SQLSTATE_IN_TEXT = Pattern.compile("SQLSTATE\\s*[:=]?\\s*([0-9A-Z]{5})");

    public Classification classify(SQLException e) {
        String state = e.getSQLState();
        return state == null ? of(FailureCode.JDBC) : new Classification(FailureCode.retriableSqlState(state), state);
    }

    public Classification classify(ToolResult result) {
        if (result.timedOut()) {
            return of(FailureCode.TOOL_TIMEOUT);
        }
        String stderr = result.stderr();
        Matcher explicit = SQLSTATE_IN_TEXT.matcher(stderr);
        if (explicit.find()) {
            return new Classification(FailureCode.retriableSqlState(explicit.group(1)), explicit.group(1));
        }
        String lower = stderr.toLowerCase(Locale.ROOT);
        for (Rule rule : TOOL_MESSAGES) {
            if (rule.pattern().matcher(lower).find()) {
                return rule.classification();
            }
        }
        return of(FailureCode.TOOL_FAILED);
    }

    private static Classification of(FailureCode code) {
        return new Classification(code.retriable(), code.name());
    }
}
