package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.activity.ActivityReporter;
import io.pgsnapman.activity.ProgressTicker;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.restore.ExistingDatabasePolicy;
import io.pgsnapman.events.restore.RestorePurpose;
import io.pgsnapman.pgtools.CredentialResolver;
import io.pgsnapman.pgtools.ServerAccess;
import io.pgsnapman.pgtools.ServerIntrospector;
import io.pgsnapman.pgtools.ToolCalls;
import io.pgsnapman.pgtools.ToolRunner;
import io.pgsnapman.pgtools.scripts.HookRunner;
import io.pgsnapman.pgtools.scripts.ScriptCalls;
import io.pgsnapman.pgtools.scripts.ScriptDirectory;
import io.pgsnapman.pgtools.scripts.ScriptPhase;
import io.pgsnapman.pgtools.scripts.ScriptRunner;
import io.pgsnapman.service.restoreworker.settings.RestoreWorkerProperties;
import io.pgsnapman.worksteps.Step;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * The steps of a restore, and of a test restore, in order, with what they share: server access and the tool cache, the scripts and hooks, the dump files
 * shared by a fan-out (and the scratch directory chunked dumps are rebuilt in), the progress ticker. One per worker; {@link #close()} stops its ticker.
 */
public final class RestoreSteps implements AutoCloseable {

    /** How the worker names itself to PostgreSQL ({@code application_name}). */
    static final String APPLICATION_NAME = "pgsnapman-restore-worker";

    private final ServerAccess servers;
    private final ServerIntrospector introspector = new ServerIntrospector(APPLICATION_NAME);
    private final ProgressTicker progress;
    private final List<Step<RestoreContext>> steps;
    private final List<Step<RestoreContext>> verification;

    public RestoreSteps(ActivityReporter activity, Clock clock, RestoreWorkerProperties properties) {
        this.progress = new ProgressTicker(activity, "restore-progress", properties.progressInterval());
        ToolRunner runner = new ToolRunner();
        this.servers = new ServerAccess(CredentialResolver.fromSystem(properties.credentialsDir()), runner,
                System.getenv().getOrDefault("PATH", ""));
        DumpContents contents = new DumpContents(runner);
        VerifyChecksums verifyChecksums =
                new VerifyChecksums(new SharedDumpFiles(properties.scratch(), properties.pipeFilesFrom().toBytes()));
        InspectTarget inspectTarget = new InspectTarget(servers, introspector);
        EnsureRoles ensureRoles = new EnsureRoles(contents);
        CreateDatabase createDatabase = new CreateDatabase();
        ScriptCalls scripts = new ScriptCalls(ScriptDirectory.of(properties.scriptsDir()),
                new ScriptRunner(properties.scriptsWorkDir(), System.getenv().getOrDefault("PATH", ""), APPLICATION_NAME),
                properties.scriptTimeout());
        HookRunner hooks = new HookRunner(introspector, scripts, properties.scriptTimeout());
        Load load = new Load(new ToolCalls(runner, APPLICATION_NAME, properties.toolTimeout()), introspector, contents,
                progress, scripts, activity);
        this.steps = List.of(verifyChecksums, inspectTarget, ensureRoles, createDatabase,
                new RunHook(ScriptPhase.PRE_RESTORE, hooks, activity), load, new ApplyAclAndSettings(),
                new RunHook(ScriptPhase.POST_RESTORE, hooks, activity), new Swap(clock), new CheckRows(introspector));
        this.verification = List.of(verifyChecksums, inspectTarget, ensureRoles, createDatabase, load,
                new CompareContents(introspector), new DropScratch());
    }

    /**
     * The steps of a request of that purpose, in the order they run: a test restore loads like a restore into a
     * temporary database, then compares every table with the dump and drops it instead of swapping it in.
     */
    public List<Step<RestoreContext>> inOrder(RestorePurpose purpose) {
        return purpose == RestorePurpose.VERIFY ? verification : steps;
    }

    /**
     * Whether a restore with this policy always fills a temporary database that only then takes the target's place —
     * what a restore job's hooks and script need (not DROP_BEFORE or TRUNCATE, which fill the target itself).
     */
    public static boolean alwaysViaTemporary(ExistingDatabasePolicy policy) {
        return RestoreMode.alwaysViaTemporary(policy);
    }

    /** A connection to the server's maintenance database, as the steps' admin connection is made. */
    public Connection connectToMaintenance(ServerConfig server) throws SQLException {
        return introspector.connect(servers.connection(server, server.getMaintenanceDatabase()));
    }

    @Override
    public void close() {
        progress.close();
    }
}
