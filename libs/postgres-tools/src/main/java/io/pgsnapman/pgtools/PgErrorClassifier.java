package io.pgsnapman.pgtools;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that decides whether a PostgreSQL failure is worth retrying: by SQLSTATE for JDBC errors,
 * by the tool's message for client tools (which print no SQLSTATE). Retriable: connection failures
 * (class 08), server shutting down or starting (57P01-57P03), insufficient resources (53), serialization
 * failure and deadlock (40001, 40P01), lock not available (55P03), and a timed-out tool. Everything else —
 * authentication, missing database, permissions, syntax — is permanent.
 */
public final class PgErrorClassifier {

    /**
     * @param retriable whether trying again later may succeed
     * @param code      SQLSTATE when known, else a PgSnapMan code such as TOOL_TIMEOUT or TOOL_FAILED
     */
    public record Classification(boolean retriable, String code) {}

    private record Rule(Pattern pattern, String code, boolean retriable) {}

    private static final List<Rule> TOOL_MESSAGES = List.of(
            new Rule(Pattern.compile("database \".*\" does not exist"), "3D000", false),
            new Rule(Pattern.compile("password authentication failed|no password supplied|authentication failed"), "28P01", false),
            new Rule(Pattern.compile("no pg_hba\\.conf entry"), "28000", false),
            new Rule(Pattern.compile("role \".*\" does not exist"), "28000", false),
            new Rule(Pattern.compile("permission denied"), "42501", false),
            new Rule(Pattern.compile("server version mismatch|aborting because of server version mismatch"), "TOOL_VERSION", false),
            new Rule(Pattern.compile("the database system is (starting up|shutting down|in recovery mode)"), "57P03", true),
            new Rule(Pattern.compile("terminating connection due to administrator command"), "57P01", true),
            new Rule(Pattern.compile("could not obtain lock|lock timeout|canceling statement due to lock timeout"), "55P03", true),
            new Rule(Pattern.compile("too many connections|remaining connection slots are reserved"), "53300", true),
            new Rule(Pattern.compile("could not connect|connection refused|connection to server .* failed|timeout expired"
                    + "|server closed the connection unexpectedly|could not translate host name"), "08006", true));

    private static final Pattern SQLSTATE_IN_TEXT = Pattern.compile("SQLSTATE\\s*[:=]?\\s*([0-9A-Z]{5})");

    public Classification classify(SQLException e) {
        String state = e.getSQLState();
        return new Classification(state != null && retriableState(state), state == null ? "JDBC" : state);
    }

    public Classification classify(ToolResult result) {
        if (result.timedOut()) {
            return new Classification(true, "TOOL_TIMEOUT");
        }
        String stderr = result.stderr();
        Matcher explicit = SQLSTATE_IN_TEXT.matcher(stderr);
        if (explicit.find()) {
            return new Classification(retriableState(explicit.group(1)), explicit.group(1));
        }
        String lower = stderr.toLowerCase(Locale.ROOT);
        for (Rule rule : TOOL_MESSAGES) {
            if (rule.pattern().matcher(lower).find()) {
                return new Classification(rule.retriable(), rule.code());
            }
        }
        return new Classification(false, "TOOL_FAILED");
    }

    static boolean retriableState(String state) {
        return state.startsWith("08")
                || state.startsWith("53")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || state.equals("40001") || state.equals("40P01")
                || state.equals("55P03");
    }
}
