package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.activity.ActivityReporter;
import io.pgsnapman.events.config.RestoreHooks;
import io.pgsnapman.pgtools.PgConnection;
import io.pgsnapman.pgtools.scripts.Hook;
import io.pgsnapman.pgtools.scripts.HookRunner;
import io.pgsnapman.pgtools.scripts.HookStep;
import io.pgsnapman.pgtools.scripts.ScriptPhase;
import io.pgsnapman.pgtools.scripts.ScriptRun;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.worksteps.StepFailure;
import java.util.Optional;

/**
 * The restore job's pre-restore hook (step 5, in the new temporary database before the load: extensions, schemas,
 * settings the load needs) or post-restore hook (step 8, after the load and before the temporary database takes the
 * target's place: anonymise, drop secrets, reset sequences — the target never shows what it changes): SQL in one
 * transaction, or a script with the temporary database in its environment. A failure is HOOK_FAILED (SQL: the
 * server's primary message and position only, as a detail may quote the rows the hook hides; a script: its exit code
 * and redacted stderr), UNKNOWN_SCRIPT or SCRIPT_TIMEOUT; the create step's undo then drops the temporary database and
 * the target stays as it was. Only through a temporary database (not DROP_BEFORE, which fills the target itself, nor
 * TRUNCATE). A request without a job, or a job without the hook, skips it.
 */
final class RunHook extends HookStep<RestoreContext> {

    private final ActivityReporter activity;

    RunHook(ScriptPhase phase, HookRunner hooks, ActivityReporter activity) {
        super(phase, hooks, ScriptPhase.PRE_RESTORE, ScriptPhase.POST_RESTORE);
        this.activity = activity;
    }

    @Override
    protected Optional<Hook> hook(RestoreContext restore, ScriptPhase phase) {
        return hook(restore.hooks, phase);
    }

    @Override
    protected PgConnection connection(RestoreContext restore, Hook hook) throws StepFailure {
        if (!restore.mode.viaTemporary()) {
            throw StepFailure.failed(FailureCode.HOOK_FAILED.failure("a " + hook.phase().label() + " hook works on the"
                    + " temporary database before it takes the target's place; existingDatabase "
                    + restore.options.getExistingDatabase() + " loads into the target itself")
                    .setField(hook.sql() != null ? hook.phase().sqlField() : hook.phase().scriptField()).build());
        }
        return restore.maintenance.withDatabase(restore.into);
    }

    @Override
    protected ScriptRun.Builder contract(RestoreContext restore, ScriptRun.Builder run, ScriptPhase phase) {
        return contract(restore, run, phase, activity);
    }

    /** The job's hook for {@code phase}, if it has one. */
    static Optional<Hook> hook(RestoreHooks hooks, ScriptPhase phase) {
        return phase == ScriptPhase.PRE_RESTORE ? Hook.of(phase, hooks.getPreRestoreSql(), hooks.getPreRestoreScript())
                : Hook.of(phase, hooks.getPostRestoreSql(), hooks.getPostRestoreScript());
    }

    /**
     * What every script of a restore gets besides its connection (the database being filled): the tools, the dump's
     * checked files, the dump's and the target's names, progress reporting.
     */
    static ScriptRun.Builder contract(RestoreContext restore, ScriptRun.Builder run, ScriptPhase phase,
            ActivityReporter activity) {
        return run.toolDirectory(restore.tools == null ? null : restore.tools.binDir())
                .variable("PGSNAPMAN_DUMP_DIR", restore.held == null ? null : restore.files().toString())
                .variable("PGSNAPMAN_DUMP_ID", restore.manifest.dumpId())
                .variable("PGSNAPMAN_RESTORE_REQUEST_ID", restore.request.getRestoreRequestId())
                .variable("PGSNAPMAN_SERVER_ID", restore.target.getServerId())
                .variable("PGSNAPMAN_TARGET_DATABASE", restore.database)
                .progress(p -> activity.progress(restore.subject, phase.label() + " script"
                        + (p.message().isEmpty() ? "" : ": " + p.message()), p.done(), p.total(), "script steps"));
    }
}
