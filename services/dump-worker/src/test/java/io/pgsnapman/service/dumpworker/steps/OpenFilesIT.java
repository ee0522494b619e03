package io.pgsnapman.service.dumpworker.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Open files of a real child process, as /proc shows them. */
class OpenFilesIT {

    @TempDir
    Path dir;

    @Test
    void aFileAChildProcessHoldsOpenIsOpenUntilTheProcessLetsItGo() throws Exception {
        // Given two files in a directory, one of them held open by a child process
        Path held = Files.writeString(Files.createDirectories(dir.resolve("sub")).resolve("3001.dat"), "rows\n");
        Files.writeString(dir.resolve("3002.dat"), "rows\n");
        OpenFiles open = OpenFiles.ofThisProcess().orElseThrow();
        Process tail = new ProcessBuilder(List.of("tail", "-f", held.toString())).start();
        try {
            // When the process has it open
            // Then only that file is open, named relative to the directory
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(open.under(dir)).containsExactly("sub/3001.dat"));
        } finally {
            tail.destroyForcibly().waitFor();
        }

        // And when the process is gone, nothing is open
        assertThat(open.under(dir)).isEmpty();
    }
}
