package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.events.restore.RestoreOptions;
import io.pgsnapman.events.restore.RolePolicy;
import io.pgsnapman.events.restore.TablespacePolicy;
import io.pgsnapman.pgtools.PgFailures;
import io.pgsnapman.pgtools.SqlIdentifiers;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Step 4, unless the data is reloaded into the existing database: creates the database to fill — template0, the
 * dump's encoding and locale, its owner with USE_ROLE, its tablespace only with USE_TBLSPC. DIRECT drops the
 * existing target first; VIA_TEMPORARY drops a leftover temporary database of the same request and marks the new
 * one in its comment as this request's, so the sweeper can drop it if this worker dies. Undo drops the temporary
 * database; the target stays as it was.
 */
final class CreateDatabase implements Step<RestoreContext> {

    @Override
    public String name() {
        return "create database";
    }

    @Override
    public void run(RestoreContext restore) throws StepFailure {
        if (!restore.mode.createsDatabase()) {
            return;
        }
        Connection admin = restore.admin;
        try {
            if (restore.mode.viaTemporary() || restore.exists) {
                ServerCatalog.drop(admin, restore.into);
            }
            Manifest.DatabaseInfo info = restore.manifest.database();
            boolean withOwner = info != null && restore.options.getRoles() == RolePolicy.USE_ROLE
                    && ServerCatalog.roleExists(admin, info.owner());
            boolean withTablespace = wantsTablespace(info, restore.options)
                    && ServerCatalog.tablespaceExists(admin, info.tablespace());
            ServerCatalog.execute(admin, DatabaseStatements.createDatabase(restore.into, info, withOwner, withTablespace));
            if (restore.mode.viaTemporary()) {
                ServerCatalog.execute(admin, "COMMENT ON DATABASE " + SqlIdentifiers.quote(restore.into) + " IS "
                        + SqlIdentifiers.literal(restore.temporaryMark));
            }
        } catch (SQLException e) {
            throw StepFailure.failed(PgFailures.of(e));
        }
    }

    /** Whether the dump's own tablespace is asked for (it is used only if the target has it). */
    static boolean wantsTablespace(Manifest.DatabaseInfo info, RestoreOptions options) {
        return info != null && options.getTablespaces() == TablespacePolicy.USE_TBLSPC
                && !"pg_default".equals(info.tablespace());
    }

    @Override
    public void undo(RestoreContext restore) {
        if (restore.mode != null && restore.mode.viaTemporary() && restore.admin != null) {
            ServerCatalog.dropQuietly(restore.admin, restore.into);
        }
    }
}
