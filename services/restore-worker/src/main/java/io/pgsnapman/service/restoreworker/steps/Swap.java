package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.events.restore.ExistingDatabasePolicy;
import io.pgsnapman.pgtools.PgFailures;
import io.pgsnapman.pgtools.SqlIdentifiers;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Step 9, for a restore into a temporary database: the restored database takes the target's place. An existing
 * target is dropped (DROP, TRUNCATE on none) or kept under a timestamped name (RENAME, reported in the outcome);
 * then the temporary database is renamed to the target and loses its temporary mark.
 */
final class Swap implements Step<RestoreContext> {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final Clock clock;

    Swap(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "swap into place";
    }

    @Override
    public void run(RestoreContext restore) throws StepFailure {
        if (!restore.mode.viaTemporary()) {
            return;
        }
        try {
            if (restore.exists) {
                if (restore.options.getExistingDatabase() == ExistingDatabasePolicy.RENAME) {
                    String kept = keptName(restore.database, Instant.ofEpochMilli(clock.millis()));
                    ServerCatalog.rename(restore.admin, restore.database, kept);
                    restore.result.setPreviousDatabaseRenamedTo(kept);
                } else {
                    ServerCatalog.drop(restore.admin, restore.database);
                }
            }
            ServerCatalog.rename(restore.admin, restore.into, restore.database);
            ServerCatalog.execute(restore.admin, "COMMENT ON DATABASE " + SqlIdentifiers.quote(restore.database) + " IS NULL");
        } catch (SQLException e) {
            throw StepFailure.failed(PgFailures.of(e));
        }
    }

    /** The name a renamed previous database keeps: the target's (cut to fit 63 characters) and the time, UTC. */
    static String keptName(String database, Instant at) {
        return (database.length() <= 46 ? database : database.substring(0, 46)) + "_" + STAMP.format(at);
    }
}
