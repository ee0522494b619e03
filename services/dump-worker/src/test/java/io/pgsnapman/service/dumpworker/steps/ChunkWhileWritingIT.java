package io.pgsnapman.service.dumpworker.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.repository.DumpWriter;
import io.pgsnapman.repository.FilesystemDumpRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunking a dump's files while a real process still holds one of them open, in a real repository. */
class ChunkWhileWritingIT {

    @TempDir
    Path root;

    @Test
    void aFileIsChunkedOnceNoProcessHasItOpenAndTheRestWhenTheToolIsDone() throws Exception {
        FilesystemDumpRepository repository = new FilesystemDumpRepository(root);
        try (DumpWriter writer = repository.begin("job-w/20260501T020000Z")) {
            // Given a staging directory with a finished data file, one a process still writes, and the toc
            Path directory = Files.createDirectories(writer.directory());
            Files.writeString(directory.resolve("3001.dat"), "1\tdone\n".repeat(10_000));
            Path writing = Files.writeString(directory.resolve("3002.dat"), "1\tstill writing\n");
            Files.writeString(directory.resolve("toc.dat"), "table of contents");
            Process tool = new ProcessBuilder(List.of("tail", "-f", writing.toString())).start();
            ChunkWhileWriting chunking = ChunkWhileWriting.of(writer, 2).watch(OpenFiles.ofThisProcess().orElseThrow());
            try {
                // When the chunking watches the directory
                // Then the finished file is chunked and leaves staging, while the open one and the toc stay
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(directory.resolve("3001.dat")));
                assertThat(writer.files()).containsExactly("3002.dat", "toc.dat");
            } finally {
                tool.destroyForcibly().waitFor();
            }

            // And when the tool is done, finishing chunks the rest
            ChunkWhileWriting.Counts counts = chunking.finish();
            chunking.close();
            assertThat(counts).isEqualTo(new ChunkWhileWriting.Counts(1, 2));
            assertThat(writer.files()).isEmpty();
        }
    }
}
