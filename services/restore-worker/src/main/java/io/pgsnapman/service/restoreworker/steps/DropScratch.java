package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.pgtools.PgFailures;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;
import java.sql.SQLException;

/**
 * Last step of a test restore: the scratch database goes, its sessions terminated first. After a failure the
 * create step's undo drops it; after a crash the temporary-database sweeper does (it carries the same mark).
 */
final class DropScratch implements Step<RestoreContext> {

    @Override
    public String name() {
        return "drop scratch database";
    }

    @Override
    public void run(RestoreContext restore) throws StepFailure {
        try {
            ServerCatalog.drop(restore.admin, restore.into);
        } catch (SQLException e) {
            throw StepFailure.failed(PgFailures.of(e));
        }
    }
}
