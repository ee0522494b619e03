package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.pgtools.PgFailures;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 7, on a database the restore created: re-applies the database's own privileges and settings from the
 * manifest (a single-database dump does not hold them), as the request asks; a grantee the target lacks is left
 * out. A reloaded existing database keeps its own.
 */
final class ApplyAclAndSettings implements Step<RestoreContext> {

    @Override
    public String name() {
        return "apply grants and settings";
    }

    @Override
    public void run(RestoreContext restore) throws StepFailure {
        Manifest.DatabaseInfo info = restore.manifest.database();
        if (!restore.mode.createsDatabase() || info == null) {
            return;
        }
        try {
            List<String> statements = new ArrayList<>();
            if (restore.options.getApplyDatabaseAcl()) {
                List<String> missing = new ArrayList<>();
                for (String item : info.acl()) {
                    String grantee = DatabaseStatements.grantee(item).orElse(null);
                    if (grantee != null && !ServerCatalog.roleExists(restore.admin, grantee)) {
                        missing.add(grantee);
                    }
                }
                statements.addAll(DatabaseStatements.acl(restore.into, info.acl(), role -> !missing.contains(role)));
            }
            if (restore.options.getApplyDatabaseSettings()) {
                statements.addAll(DatabaseStatements.settings(restore.into, info.settings()));
            }
            ServerCatalog.execute(restore.admin, statements.toArray(String[]::new));
        } catch (SQLException e) {
            throw StepFailure.failed(PgFailures.of(e));
        }
    }
}
