package io.pgsnapman.worksteps;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a fixed list of {@link Step}s over a context, in order: logs and reports each by name and number (progress
 * is "step n of N"), checks before each step whether the work was cancelled, and when a step fails or the work is
 * cancelled undoes what the steps run so far left — newest first, the failing step included — then rethrows.
 * The steps after the last one that ran are skipped. Steps run on the caller's thread.
 *
 * @param <C> the work's context
 */
public final class StepRunner<C> {

    private static final Logger log = LoggerFactory.getLogger(StepRunner.class);

    /** Hears each step start; a dashboard's progress is {@code number / total}. */
    @FunctionalInterface
    public interface Listener {
        void started(String step, int number, int total);
    }

    /** The work was cancelled (e.g. its lease was lost) before the named step. */
    public static final class Cancelled extends Exception {
        public Cancelled(String message) {
            super(message);
        }
    }

    private final String work;
    private final List<Step<C>> steps;

    /**
     * @param work  what the steps do, for logs (e.g. "dump job-a/20260329T013000Z")
     * @param steps the steps, in order
     */
    public StepRunner(String work, List<Step<C>> steps) {
        this.work = work;
        this.steps = List.copyOf(steps);
    }

    /** The steps' names, in order. */
    public List<String> names() {
        return steps.stream().map(Step::name).toList();
    }

    /**
     * Runs every step over {@code context}.
     *
     * @throws Cancelled when {@code cancelled} said so before a step (what ran is undone)
     * @throws Exception what a step threw (what ran is undone)
     */
    public void run(C context, Listener listener, BooleanSupplier cancelled) throws Exception {
        Deque<Step<C>> ran = new ArrayDeque<>();
        int total = steps.size();
        long began = System.nanoTime();
        StringBuilder took = new StringBuilder();
        for (int i = 0; i < total; i++) {
            Step<C> step = steps.get(i);
            if (cancelled.getAsBoolean()) {
                undo(ran, context);
                throw new Cancelled(work + " cancelled before step " + (i + 1) + "/" + total + " " + step.name());
            }
            log.debug("{}: step {}/{} {}", work, i + 1, total, step.name());
            listener.started(step.name(), i + 1, total);
            ran.push(step);
            long stepBegan = System.nanoTime();
            try {
                step.run(context);
                took.append(took.isEmpty() ? "" : ", ").append(step.name()).append(' ')
                        .append((System.nanoTime() - stepBegan) / 1_000_000).append(" ms");
            } catch (Exception e) {
                log.info("{}: step {}/{} {} failed: {}", work, i + 1, total, step.name(), e.toString());
                undo(ran, context);
                throw e;
            }
        }
        log.info("{}: done in {} ms ({})", work, (System.nanoTime() - began) / 1_000_000, took);
    }

    private void undo(Deque<Step<C>> ran, C context) {
        while (!ran.isEmpty()) {
            Step<C> step = ran.pop();
            try {
                step.undo(context);
            } catch (RuntimeException e) {
                log.warn("{}: undoing step {} failed: {}", work, step.name(), e.getMessage());
            }
        }
    }
}
