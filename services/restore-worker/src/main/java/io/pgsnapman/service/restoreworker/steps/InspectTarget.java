package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.events.restore.ExistingDatabasePolicy;
import io.pgsnapman.pgtools.PgFailures;
import io.pgsnapman.pgtools.ServerAccess;
import io.pgsnapman.pgtools.ServerIntrospector;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;
import java.sql.SQLException;

/**
 * Step 2: connects to the target's maintenance database (the admin connection the later steps use), locates the
 * client tools, and finds whether the target database exists — which, with the existing-database policy, decides
 * the {@link RestoreMode} and the database to fill. LEAVE on an existing database is REJECTED TARGET_EXISTS.
 */
final class InspectTarget implements Step<RestoreContext> {

    private final ServerAccess servers;
    private final ServerIntrospector introspector;

    InspectTarget(ServerAccess servers, ServerIntrospector introspector) {
        this.servers = servers;
        this.introspector = introspector;
    }

    @Override
    public String name() {
        return "inspect target";
    }

    @Override
    public void run(RestoreContext restore) throws StepFailure {
        restore.maintenance = servers.connection(restore.target, restore.target.getMaintenanceDatabase());
        restore.tools = servers.tools(restore.target);
        try {
            restore.admin = introspector.connect(restore.maintenance);
            restore.result.setTargetServerVersion(introspector.serverVersion(restore.admin).text());
            restore.exists = ServerCatalog.databaseExists(restore.admin, restore.database);
        } catch (SQLException e) {
            throw StepFailure.failed(PgFailures.of(e));
        }
        ExistingDatabasePolicy policy = restore.options.getExistingDatabase();
        if (restore.exists && policy == ExistingDatabasePolicy.LEAVE) {
            throw StepFailure.rejected(FailureCode.TARGET_EXISTS
                    .failure("database '" + restore.database + "' exists on the target and the policy is LEAVE")
                    .setField("targetDatabaseName").build());
        }
        restore.mode = RestoreMode.of(policy, restore.exists);
        restore.into = restore.mode.viaTemporary()
                ? temporaryName(restore.database, restore.request.getRestoreRequestId()) : restore.database;
    }

    /** A temporary database name derived from the target and the request (at most 63 characters). */
    static String temporaryName(String target, String requestId) {
        String suffix = "_pgsnapman_" + Integer.toHexString(requestId.hashCode() & 0x7fffffff);
        return (target.length() <= 63 - suffix.length() ? target : target.substring(0, 63 - suffix.length())) + suffix;
    }
}
