package io.pgsnapman.service.dumpworker.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FinishedFilesTest {

    private final FinishedFiles files = new FinishedFiles(Set.of("toc.dat"));

    @Test
    void aFileClosedAtTwoLooksInARowWithTheSameSizeIsFinishedOnce() {
        // Given a file seen closed once
        assertThat(files.look(Map.of("3001.dat", 100L), Set.of())).isEmpty();

        // When it is seen closed again with the same size
        // Then it is finished, and never handed out again
        assertThat(files.look(Map.of("3001.dat", 100L), Set.of())).containsExactly("3001.dat");
        assertThat(files.look(Map.of("3001.dat", 100L), Set.of())).isEmpty();
    }

    @Test
    void aFileOpenAtEitherLookIsNotFinished() {
        // Given a file open, then closed, then open again (its descriptor showing an instant after it was created)
        assertThat(files.look(Map.of("3001.dat", 0L), Set.of("3001.dat"))).isEmpty();
        assertThat(files.look(Map.of("3001.dat", 10L), Set.of())).isEmpty();
        assertThat(files.look(Map.of("3001.dat", 20L), Set.of("3001.dat"))).isEmpty();

        // When it is closed at one look only
        // Then it is not finished before a second closed look
        assertThat(files.look(Map.of("3001.dat", 30L), Set.of())).isEmpty();
        assertThat(files.look(Map.of("3001.dat", 30L), Set.of())).containsExactly("3001.dat");
    }

    @Test
    void aFileThatGrewBetweenTwoClosedLooksIsNotFinishedYet() {
        assertThat(files.look(Map.of("3001.dat", 10L), Set.of())).isEmpty();
        assertThat(files.look(Map.of("3001.dat", 20L), Set.of())).isEmpty();
        assertThat(files.look(Map.of("3001.dat", 20L), Set.of())).containsExactly("3001.dat");
    }

    @Test
    void theTableOfContentsIsLeftForTheToolsExitAndOthersComeInOrder() {
        files.look(Map.of("toc.dat", 5L, "3002.dat", 1L, "3001.dat", 1L), Set.of());
        assertThat(files.look(Map.of("toc.dat", 5L, "3002.dat", 1L, "3001.dat", 1L), Set.of()))
                .containsExactly("3001.dat", "3002.dat");
    }
}
