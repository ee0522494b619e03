package io.pgsnapman.service.dumpworker.steps;

import io.pgsnapman.activity.ActivityReporter;
import io.pgsnapman.events.dump.DumpHooks;
import io.pgsnapman.pgtools.PgConnection;
import io.pgsnapman.pgtools.scripts.Hook;
import io.pgsnapman.pgtools.scripts.HookRunner;
import io.pgsnapman.pgtools.scripts.HookStep;
import io.pgsnapman.pgtools.scripts.ScriptPhase;
import io.pgsnapman.pgtools.scripts.ScriptRun;
import java.util.Optional;

/**
 * The dump job's pre-dump hook (step 4, before the snapshot is taken, so what it changes is in the dump) or
 * post-dump hook (step 11, after the dump is written and checked and before it is stored): SQL in one transaction in
 * the dumped database, or a script with that database in its environment. A failure fails the dump (HOOK_FAILED, or
 * UNKNOWN_SCRIPT / SCRIPT_TIMEOUT) and nothing is stored. A job without the hook skips it.
 */
final class RunHook extends HookStep<DumpContext> {

    private final ActivityReporter activity;

    RunHook(ScriptPhase phase, HookRunner hooks, ActivityReporter activity) {
        super(phase, hooks, ScriptPhase.PRE_DUMP, ScriptPhase.POST_DUMP);
        this.activity = activity;
    }

    @Override
    protected Optional<Hook> hook(DumpContext dump, ScriptPhase phase) {
        return hook(dump.spec.getHooks(), phase);
    }

    @Override
    protected PgConnection connection(DumpContext dump, Hook hook) {
        return dump.databaseConnection();
    }

    @Override
    protected ScriptRun.Builder contract(DumpContext dump, ScriptRun.Builder run, ScriptPhase phase) {
        return RunScript.contract(dump, run, phase, activity);
    }

    /** The job's hook for {@code phase}, if it has one. */
    static Optional<Hook> hook(DumpHooks hooks, ScriptPhase phase) {
        return phase == ScriptPhase.PRE_DUMP ? Hook.of(phase, hooks.getPreDumpSql(), hooks.getPreDumpScript())
                : Hook.of(phase, hooks.getPostDumpSql(), hooks.getPostDumpScript());
    }
}
