package io.pgsnapman.worksteps;

import io.pgsnapman.events.Failure;
import io.pgsnapman.events.Outcome;

/**
 * A business failure raised by a step: the work ends with this outcome (FAILED or REJECTED) and failure, which
 * the worker publishes as an event — not an error of the worker. The {@link StepRunner} undoes what ran and
 * passes it on unchanged.
 */
public final class StepFailure extends Exception {

    private final Outcome outcome;
    private final transient Failure failure;

    private StepFailure(Outcome outcome, Failure failure) {
        super(failure.getReason(), null, false, false);
        this.outcome = outcome;
        this.failure = failure;
    }

    /** The work was tried and failed. */
    public static StepFailure failed(Failure failure) {
        return new StepFailure(Outcome.FAILED, failure);
    }

    /** The work was refused before it changed anything. */
    public static StepFailure rejected(Failure failure) {
        return new StepFailure(Outcome.REJECTED, failure);
    }

    public Outcome outcome() {
        return outcome;
    }

    public Failure failure() {
        return failure;
    }
}
