package io.pgsnapman.pgtools.scripts;

import java.util.Optional;

/**
 * One hook of a job: SQL or the name of a script (never both), for a {@link ScriptPhase#hook() hook phase}.
 *
 * @param phase  when it runs
 * @param sql    SQL run in one transaction, or null
 * @param script a script name, or null
 */
public record Hook(ScriptPhase phase, String sql, String script) {

    public Hook {
        if (!phase.hook()) {
            throw new IllegalArgumentException(phase + " is not a hook phase");
        }
        if ((sql == null) == (script == null)) {
            throw new IllegalArgumentException("a " + phase.label() + " hook is SQL or a script, exactly one of the two");
        }
    }

    /** The hook a job configures for {@code phase}, if any (blank SQL counts as none). */
    public static Optional<Hook> of(ScriptPhase phase, String sql, String script) {
        String effectiveSql = sql == null || sql.isBlank() ? null : sql;
        if (effectiveSql == null && script == null) {
            return Optional.empty();
        }
        return Optional.of(new Hook(phase, effectiveSql, script));
    }

    /** Why a job's SQL and script for one phase cannot both be set, if they are. */
    public static Optional<String> problem(ScriptPhase phase, String sql, String script) {
        return sql != null && script != null ? Optional.of("a " + phase.label() + " hook is SQL or a script, not both")
                : Optional.empty();
    }
}
