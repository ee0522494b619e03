package io.pgsnapman.pgtools.scripts;

import io.pgsnapman.events.Failure;
import io.pgsnapman.pgtools.PgConnection;
import io.pgsnapman.pgtools.ServerIntrospector;
import io.pgsnapman.schemas.FailureCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Runs a job's hook against one database: SQL in one transaction (bounded by the statement timeout), or its script
 * through {@link ScriptCalls} with that database in the environment. A failing SQL hook is HOOK_FAILED with the
 * server's primary message and position only — a message's detail may quote row values the hook was meant to hide.
 */
public final class HookRunner {

    private final ServerIntrospector introspector;
    private final ScriptCalls scripts;
    private final Duration sqlTimeout;

    public HookRunner(ServerIntrospector introspector, ScriptCalls scripts, Duration sqlTimeout) {
        this.introspector = introspector;
        this.scripts = scripts;
        this.sqlTimeout = sqlTimeout;
    }

    /**
     * Runs {@code hook} against {@code connection}; a script hook's run is given its tools, variables and progress
     * listener by {@code script}. Empty when it succeeded.
     */
    public Optional<Failure> run(Hook hook, PgConnection connection, UnaryOperator<ScriptRun.Builder> script) {
        if (hook.script() != null) {
            return scripts.run(script.apply(ScriptRun.of(hook.script(), hook.phase(), connection)).build());
        }
        try (Connection c = introspector.connect(connection)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL statement_timeout = " + Math.max(1, sqlTimeout.toMillis()));
                st.execute(hook.sql());
                c.commit();
                return Optional.empty();
            } catch (SQLException e) {
                c.rollback();
                return Optional.of(failed(hook, hook.phase().label() + " hook failed: " + primary(e)));
            }
        } catch (SQLException e) {
            return Optional.of(failed(hook, hook.phase().label() + " hook could not run: " + primary(e)));
        }
    }

    private static Failure failed(Hook hook, String reason) {
        return FailureCode.HOOK_FAILED.failure(reason).setField(hook.phase().sqlField()).build();
    }

    /** The server's primary message, SQLSTATE and position, without the detail that may quote row values. */
    static String primary(SQLException e) {
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        if (server == null) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        }
        return server.getMessage() + " (SQLSTATE " + server.getSQLState() + (server.getPosition() > 0
                ? ", at character " + server.getPosition() : "") + ")";
    }
}
