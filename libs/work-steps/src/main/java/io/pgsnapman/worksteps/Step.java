package io.pgsnapman.worksteps;

/**
 * One named step of long work over a context {@code C}: does one thing, reads what earlier steps left in the
 * context and leaves its own result there. A step that creates something outside the context (a database, a
 * directory, a snapshot) says how to undo it: {@link #undo} runs when this step or a later one failed, or the
 * work was cancelled.
 *
 * @param <C> the work's context
 */
public interface Step<C> {

    /** Short name for logs and progress, e.g. "export snapshot". */
    String name();

    /** Does the step; a business failure is the worker's own exception, carried out of the runner unchanged. */
    void run(C context) throws Exception;

    /** Undoes what this step left; called once, also when {@link #run} failed half-way. Must not throw. */
    default void undo(C context) {}
}
