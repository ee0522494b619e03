package io.pgsnapman.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.pgsnapman.events.dump.DumpTrigger;
import io.pgsnapman.events.dump.DumpType;
import io.pgsnapman.repository.chunks.ChunkIndex;
import io.pgsnapman.schemas.DumpFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chunked dump handed to a reader through real named pipes, read by this test as pg_restore would. */
class PipedDumpIT {

    private static final String DUMP_ID = "job-p/20260329T013000Z";

    @TempDir
    Path root;

    private FilesystemDumpRepository repository;
    private byte[] large;
    private byte[] other;

    @BeforeEach
    void aChunkedDumpWithTwoLargeFilesASmallOneAndItsToc() throws IOException {
        repository = new FilesystemDumpRepository(root.resolve("repo"));
        Random random = new Random(7);
        large = rows(random, 20_000);
        other = rows(random, 12_000);
        try (DumpWriter writer = repository.begin(DUMP_ID)) {
            Files.write(writer.directory().resolve("3001.dat"), large);
            Files.write(writer.directory().resolve("3002.dat"), other);
            Files.writeString(writer.directory().resolve("3003.dat"), "1\tsmall\n");
            Files.writeString(writer.directory().resolve("toc.dat"), "table of contents ".repeat(20_000));
            for (String file : List.of("3001.dat", "3002.dat", "3003.dat", "toc.dat")) {
                writer.storeAsChunks(file);
            }
            writer.commit(Manifest.builder().dumpId(DUMP_ID).dumpJobId("job-p").serverId("srv-1").databaseName("orders")
                    .dumpType(DumpType.FULL).format(DumpFormat.DIRECTORY).trigger(DumpTrigger.CRON)
                    .scheduledAt(Instant.parse("2026-03-29T01:30:00Z")).startedAt(Instant.parse("2026-03-29T01:30:01Z"))
                    .finishedAt(Instant.parse("2026-03-29T01:31:00Z")).serverVersion("17.2").pgDumpVersion("17.2")
                    .tables(List.of()).workerId("w1").build());
        }
    }

    private static byte[] rows(Random random, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(i).append('\t').append(Long.toHexString(random.nextLong())).append(Long.toHexString(random.nextLong()))
                    .append('\n');
        }
        return text.toString().getBytes();
    }

    @Test
    void largeFilesArePipesThatDeliverTheirContentAndUnreadOnesAreReleasedOnClose() throws IOException {
        // Given the dump laid out with files of 100 kB or more as pipes
        Path into = root.resolve("piped");
        PipedDump piped = PipedDump.open(repository.open(DUMP_ID).orElseThrow(), into, 100_000);

        // Then the two data files are pipes; the table of contents (though large) and the small file are files
        assertThat(piped.pipes()).isEqualTo(2);
        assertThat(into.resolve("3001.dat")).exists();
        assertThat(Files.isRegularFile(into.resolve("3001.dat"))).isFalse();
        assertThat(Files.isRegularFile(into.resolve("toc.dat"))).isTrue();
        assertThat(Files.readString(into.resolve("3003.dat"))).isEqualTo("1\tsmall\n");
        assertThat(piped.damage()).isEmpty();

        // When a reader reads one of the pipes and never opens the other
        byte[] read = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Files.readAllBytes(into.resolve("3001.dat")));

        // Then it got the file as dumped, nothing is damaged, and closing releases the unread pipe and cleans up
        assertThat(read).isEqualTo(large);
        assertThat(piped.damage()).isEmpty();
        assertTimeoutPreemptively(Duration.ofSeconds(30), piped::close);
        assertThat(into).doesNotExist();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("pipe ") && t.isAlive());
    }

    @Test
    void aDamagedChunkInAPipedFileIsReportedAfterTheReaderGotAnIncompleteFile() throws IOException {
        // Given the last chunk of 3001.dat with one byte flipped
        DumpReader reader = repository.open(DUMP_ID).orElseThrow();
        Manifest.FileEntry entry = reader.manifest().files().stream().filter(f -> f.path().equals("3001.dat")).findFirst()
                .orElseThrow();
        List<String> ids = new ArrayList<>();
        ChunkIndex.read(reader.directory().resolve(entry.chunks()), ref -> ids.add(ref.id()));
        String last = ids.get(ids.size() - 1);
        Path chunk = root.resolve("repo/chunks").resolve(last.substring(0, 2)).resolve(last.substring(2, 4)).resolve(last);
        byte[] stored = Files.readAllBytes(chunk);
        stored[stored.length - 2] ^= 0x10;
        Files.write(chunk, stored);

        // When a reader reads the piped file
        try (PipedDump piped = PipedDump.open(reader, root.resolve("piped"), 100_000)) {
            byte[] read = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> Files.readAllBytes(piped.directory().resolve("3001.dat")));

            // Then it got less than the file, and the damage names the file and the chunk
            assertThat(read.length).isLessThan(large.length);
            assertThat(piped.damage()).hasValueSatisfying(m -> {
                assertThat(m.path()).isEqualTo("3001.dat");
                assertThat(m.expected()).isEqualTo("chunk " + last);
            });
        }
    }

    @Test
    void aReaderThatStopsEarlyIsNotTakenForDamage() throws IOException {
        // Given the dump laid out with pipes
        try (PipedDump piped = PipedDump.open(repository.open(DUMP_ID).orElseThrow(), root.resolve("piped"), 100_000)) {
            // When a reader reads ten bytes of a pipe and goes away (a failed pg_restore)
            byte[] start = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                try (InputStream in = Files.newInputStream(piped.directory().resolve("3002.dat"))) {
                    return in.readNBytes(10);
                }
            });

            // Then the reader got the start of the file, and the broken pipe is no damage of the dump
            assertThat(start).isEqualTo(java.util.Arrays.copyOf(other, 10));
            assertTimeoutPreemptively(Duration.ofSeconds(30), piped::close);
            assertThat(piped.damage()).isEmpty();
        }
    }

    @Test
    void aDamagedSmallFileIsReportedRightAfterOpening() throws IOException {
        // Given the small file's only chunk removed from the store
        DumpReader reader = repository.open(DUMP_ID).orElseThrow();
        Manifest.FileEntry entry = reader.manifest().files().stream().filter(f -> f.path().equals("3003.dat")).findFirst()
                .orElseThrow();
        List<String> ids = new ArrayList<>();
        ChunkIndex.read(reader.directory().resolve(entry.chunks()), ref -> ids.add(ref.id()));
        String id = ids.get(0);
        Files.delete(root.resolve("repo/chunks").resolve(id.substring(0, 2)).resolve(id.substring(2, 4)).resolve(id));

        // When the dump is laid out
        try (PipedDump piped = PipedDump.open(reader, root.resolve("piped"), 100_000)) {
            // Then the missing chunk is reported before any reader starts
            assertThat(piped.damage()).hasValueSatisfying(m -> {
                assertThat(m.path()).isEqualTo("3003.dat");
                assertThat(m.actual()).isEqualTo("missing");
            });
        }
    }
}
