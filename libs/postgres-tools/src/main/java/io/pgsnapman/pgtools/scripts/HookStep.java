package io.pgsnapman.pgtools.scripts;

import io.pgsnapman.events.Failure;
import io.pgsnapman.pgtools.PgConnection;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;
import java.util.Optional;

/**
 * The step that runs one hook of a job around its work ({@code run pre-dump hook}, ...): the job's hook for the
 * phase, if it has one, run by the {@link HookRunner} against the database the work names, a script with the work's
 * part of the contract. A failure fails the work with the hook's {@link Failure}. Each worker says, for its own
 * context, which hook, which database and which variables.
 *
 * @param <C> the work's context
 */
public abstract class HookStep<C> implements Step<C> {

    private final ScriptPhase phase;
    private final String name;
    private final HookRunner hooks;

    /** A step for {@code phase}, which must be one of the {@code allowed} phases of this kind of work. */
    protected HookStep(ScriptPhase phase, HookRunner hooks, ScriptPhase... allowed) {
        this.name = phase.hookStep(allowed);
        this.phase = phase;
        this.hooks = hooks;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void run(C work) throws StepFailure {
        Optional<Hook> hook = hook(work, phase);
        if (hook.isEmpty()) {
            return;
        }
        Optional<Failure> failed = hooks.run(hook.get(), connection(work, hook.get()), run -> contract(work, run, phase));
        if (failed.isPresent()) {
            throw StepFailure.failed(failed.get());
        }
    }

    /** The job's hook for {@code phase}, if it has one. */
    protected abstract Optional<Hook> hook(C work, ScriptPhase phase);

    /** The database the hook works on; a work that cannot run {@code hook} fails here. */
    protected abstract PgConnection connection(C work, Hook hook) throws StepFailure;

    /** The work's part of a hook script's contract: its tools, variables and progress reporting. */
    protected abstract ScriptRun.Builder contract(C work, ScriptRun.Builder run, ScriptPhase phase);
}
