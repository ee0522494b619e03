package io.pgsnapman.service.dumpworker.steps;

import io.pgsnapman.activity.ActivityReporter;
import io.pgsnapman.activity.ProgressTicker;
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
import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.service.dumpworker.settings.DumpWorkerProperties;
import io.pgsnapman.worksteps.Step;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The steps of a dump, in order, with what they share: server access and the tool cache, the scripts and hooks, the
 * row-counting threads, the progress ticker. One per worker; {@link #close()} stops its threads.
 */
public final class DumpSteps implements AutoCloseable {

    /** How the worker names itself to PostgreSQL ({@code application_name}). */
    static final String APPLICATION_NAME = "pgsnapman-dump-worker";

    private final ExecutorService counter = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dump-row-count");
        t.setDaemon(true);
        return t;
    });
    private final ProgressTicker progress;
    private final List<Step<DumpContext>> steps;

    public DumpSteps(DumpRepository repository, ActivityReporter activity, Clock clock, DumpWorkerProperties properties) {
        this.progress = new ProgressTicker(activity, "dump-progress", properties.progressInterval());
        ToolRunner runner = new ToolRunner();
        ServerAccess servers = new ServerAccess(CredentialResolver.fromSystem(properties.credentialsDir()), runner,
                System.getenv().getOrDefault("PATH", ""));
        ServerIntrospector introspector = new ServerIntrospector(APPLICATION_NAME);
        ScriptDirectory scriptDirectory = ScriptDirectory.of(properties.scriptsDir());
        ScriptCalls scripts = new ScriptCalls(scriptDirectory,
                new ScriptRunner(properties.scriptsWorkDir(), System.getenv().getOrDefault("PATH", ""), APPLICATION_NAME),
                properties.scriptTimeout());
        HookRunner hooks = new HookRunner(introspector, scripts, properties.scriptTimeout());
        this.steps = List.of(
                new CheckScripts(scriptDirectory),
                new ReadServerFacts(servers, introspector),
                new LocateTools(servers),
                new RunHook(ScriptPhase.PRE_DUMP, hooks, activity),
                new ExportSnapshot(introspector, properties.exactRowCounts()),
                new OpenStaging(repository),
                new RunTool(new ToolCalls(runner, APPLICATION_NAME, properties.toolTimeout()), counter, progress),
                new RunScript(scripts, activity),
                new CountRows(),
                new CheckReadable(runner),
                new RunHook(ScriptPhase.POST_DUMP, hooks, activity),
                new StoreChunks(),
                new Commit(repository, clock, properties.instanceId()),
                new VerifyChecksums(repository));
    }

    /** The steps, in the order they run. */
    public List<Step<DumpContext>> inOrder() {
        return steps;
    }

    @Override
    public void close() {
        progress.close();
        counter.shutdownNow();
    }
}
