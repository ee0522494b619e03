package io.pgsnapman.worksteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StepRunnerTest {

    /** The context: a log of what the steps did. */
    private final List<String> journal = new ArrayList<>();
    private final List<String> reported = new ArrayList<>();

    private Step<List<String>> step(String name, boolean fails) {
        return new Step<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void run(List<String> context) throws Exception {
                context.add("run " + name);
                if (fails) {
                    throw new IllegalStateException(name + " broke");
                }
            }

            @Override
            public void undo(List<String> context) {
                context.add("undo " + name);
            }
        };
    }

    @Test
    void stepsRunInOrderAndEachIsReportedWithItsNumberOfTheTotal() throws Exception {
        StepRunner<List<String>> runner = new StepRunner<>("dump d1", List.of(step("a", false), step("b", false),
                step("c", false)));

        runner.run(journal, (name, n, total) -> reported.add(name + " " + n + "/" + total), () -> false);

        assertThat(journal).containsExactly("run a", "run b", "run c");
        assertThat(reported).containsExactly("a 1/3", "b 2/3", "c 3/3");
        assertThat(runner.names()).containsExactly("a", "b", "c");
    }

    @Test
    void aFailingStepIsUndoneWithTheStepsBeforeItNewestFirstAndTheRestIsSkipped() {
        // Given three steps of which the second fails
        StepRunner<List<String>> runner = new StepRunner<>("restore r1", List.of(step("a", false), step("b", true),
                step("c", false)));

        // When they run
        assertThatThrownBy(() -> runner.run(journal, (name, n, total) -> { }, () -> false))
                .isInstanceOf(IllegalStateException.class).hasMessage("b broke");

        // Then b (which may have left something half-done) and a are undone, newest first, and c never ran
        assertThat(journal).containsExactly("run a", "run b", "undo b", "undo a");
    }

    @Test
    void cancellationIsCheckedBeforeEachStepAndUndoesWhatRan() {
        // Given work cancelled after its first step
        AtomicInteger checks = new AtomicInteger();
        StepRunner<List<String>> runner = new StepRunner<>("dump d2", List.of(step("a", false), step("b", false)));

        // When it runs
        assertThatThrownBy(() -> runner.run(journal, (name, n, total) -> { }, () -> checks.incrementAndGet() > 1))
                .isInstanceOf(StepRunner.Cancelled.class).hasMessage("dump d2 cancelled before step 2/2 b");

        // Then the first step ran and was undone, the second never started
        assertThat(journal).containsExactly("run a", "undo a");
    }

    @Test
    void anUndoThatThrowsDoesNotKeepTheOthersFromRunningNorHideTheFailure() {
        Step<List<String>> brokenUndo = new Step<>() {
            @Override
            public String name() {
                return "broken undo";
            }

            @Override
            public void run(List<String> context) {
                context.add("run broken undo");
            }

            @Override
            public void undo(List<String> context) {
                throw new IllegalStateException("cannot undo");
            }
        };
        StepRunner<List<String>> runner = new StepRunner<>("w", List.of(step("a", false), brokenUndo, step("c", true)));

        assertThatThrownBy(() -> runner.run(journal, (name, n, total) -> { }, () -> false)).hasMessage("c broke");
        assertThat(journal).containsExactly("run a", "run broken undo", "run c", "undo c", "undo a");
    }
}
