package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.pgtools.ServerIntrospector;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Step 7 of a restore into a new database: the restore job's post-restore SQL (anonymise, drop secrets, reset
 * sequences) in one transaction inside the temporary database, before it takes the target's place, so the target
 * never shows what the hook changes. A failure is HOOK_FAILED with the server's primary message and position only (a
 * message's detail may quote row values the hook was meant to hide); the create step's undo then drops the temporary
 * database and the target stays as it was. A request without a job, or a job without the hook, skips it.
 */
final class RunPostRestoreHook implements Step<RestoreContext> {

    private final ServerIntrospector introspector;
    private final Duration timeout;

    RunPostRestoreHook(ServerIntrospector introspector, Duration timeout) {
        this.introspector = introspector;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "run post-restore hook";
    }

    @Override
    public void run(RestoreContext restore) throws StepFailure {
        String sql = restore.postRestoreSql;
        if (sql == null || sql.isBlank()) {
            return;
        }
        if (!restore.mode.createsDatabase()) {
            throw StepFailure.failed(FailureCode.HOOK_FAILED.failure("a post-restore hook runs in the temporary database"
                    + " before it takes the target's place; existingDatabase " + restore.options.getExistingDatabase()
                    + " loads into the target itself").setField("hooks.postRestoreSql").build());
        }
        try (Connection c = introspector.connect(restore.maintenance.withDatabase(restore.into))) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL statement_timeout = " + Math.max(1, timeout.toMillis()));
                st.execute(sql);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw StepFailure.failed(FailureCode.HOOK_FAILED.failure("post-restore hook failed: " + primary(e))
                        .setField("hooks.postRestoreSql").build());
            }
        } catch (SQLException e) {
            throw StepFailure.failed(FailureCode.HOOK_FAILED.failure("post-restore hook could not run: " + primary(e))
                    .setField("hooks.postRestoreSql").build());
        }
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
