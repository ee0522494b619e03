package io.pgsnapman.repository.chunks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chunk store on a real directory. */
class FilesystemChunkStoreIT {

    @TempDir
    Path root;

    private FilesystemChunkStore store() throws IOException {
        return new FilesystemChunkStore(root, 3, Clock.systemUTC());
    }

    private static byte[] text(int length) {
        return "select * from orders where id = 42;\n".repeat(length / 36 + 1).substring(0, length)
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aChunkIsStoredOnceCompressedAndReadBackAsItWas() throws IOException, ChunkException {
        // Given a store and 64 KiB of repetitive text
        FilesystemChunkStore store = store();
        byte[] data = text(64 * 1024);

        // When it is stored twice
        ChunkStore.Stored first = store.put(data, data.length);
        ChunkStore.Stored second = store.put(data, data.length);

        // Then it was added once, compressed well, and reads back byte for byte under its SHA-256
        assertThat(first.id()).isEqualTo(Sha256.of(data, data.length));
        assertThat(first.added()).isTrue();
        assertThat(first.storedBytes()).isLessThan(data.length / 10);
        assertThat(second.added()).isFalse();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(store.get(first.id())).isEqualTo(data);
        List<ChunkStore.Entry> entries = new ArrayList<>();
        store.forEach(entries::add);
        assertThat(entries).extracting(ChunkStore.Entry::id).containsExactly(first.id());
    }

    @Test
    void incompressibleContentIsStoredAsItIs() throws IOException, ChunkException {
        byte[] data = new byte[32 * 1024];
        new Random(7).nextBytes(data);

        ChunkStore.Stored stored = store().put(data, data.length);

        assertThat(stored.storedBytes()).isEqualTo(data.length + 5);
        assertThat(store().get(stored.id())).isEqualTo(data);
    }

    @Test
    void aFlippedByteOrAMissingFileIsReportedWithTheChunksId() throws IOException {
        // Given two stored chunks
        FilesystemChunkStore store = store();
        byte[] a = text(10_000);
        byte[] b = text(20_000);
        String damaged = store.put(a, a.length).id();
        String missing = store.put(b, b.length).id();

        // When one byte of the first is flipped and the second is deleted
        try (RandomAccessFile file = new RandomAccessFile(store.pathOf(damaged).toFile(), "rw")) {
            file.seek(file.length() - 3);
            int value = file.read();
            file.seek(file.length() - 3);
            file.write(value ^ 0x01);
        }
        Files.delete(store.pathOf(missing));

        // Then reading them fails, naming each chunk and what is wrong
        assertThatThrownBy(() -> store.get(damaged)).isInstanceOfSatisfying(ChunkException.class, e -> {
            assertThat(e.chunkId()).isEqualTo(damaged);
            assertThat(e.missing()).isFalse();
            assertThat(e.getMessage()).contains(damaged).contains("damaged");
        });
        assertThatThrownBy(() -> store.get(missing)).isInstanceOfSatisfying(ChunkException.class, e -> {
            assertThat(e.chunkId()).isEqualTo(missing);
            assertThat(e.missing()).isTrue();
        });
    }

    @Test
    void aChunkUsedAfterTheGivenInstantIsNotRemovedAndAnUnusedOneIs() throws IOException {
        // Given two chunks last used an hour ago, one of which a writer uses again now
        FilesystemChunkStore store = store();
        byte[] old = text(5_000);
        byte[] reused = text(6_000);
        String oldId = store.put(old, old.length).id();
        String reusedId = store.put(reused, reused.length).id();
        Instant hourAgo = Instant.now().minusSeconds(3600);
        Files.setLastModifiedTime(store.pathOf(oldId), FileTime.from(hourAgo));
        Files.setLastModifiedTime(store.pathOf(reusedId), FileTime.from(hourAgo));
        store.put(reused, reused.length);

        // When both are removed if unused since ten minutes ago
        Instant cutoff = Instant.now().minusSeconds(600);
        boolean oldRemoved = store.removeIfUnusedSince(oldId, cutoff);
        boolean reusedRemoved = store.removeIfUnusedSince(reusedId, cutoff);

        // Then only the unused one is gone
        assertThat(oldRemoved).isTrue();
        assertThat(store.contains(oldId)).isFalse();
        assertThat(reusedRemoved).isFalse();
        assertThat(store.contains(reusedId)).isTrue();
    }

    @Test
    void aFileIsRebuiltFromItsChunksAndAnInsertionStoresOnlyTheChunksAroundIt() throws IOException, ChunkException {
        // Given a 3 MiB file stored as chunks
        ChunkedFiles files = new ChunkedFiles(new Chunker(ChunkSizes.DEFAULT), store());
        byte[] data = new byte[3 * 1024 * 1024];
        new Random(11).nextBytes(data);
        Path file = Files.write(root.resolve("3001.dat"), data);
        ChunkedFiles.Stored first = files.store(file, root.resolve("3001.chunks"));

        // When the same file with 50 bytes inserted in the middle is stored too
        byte[] edited = new byte[data.length + 50];
        System.arraycopy(data, 0, edited, 0, data.length / 2);
        System.arraycopy(data, data.length / 2, edited, data.length / 2 + 50, data.length - data.length / 2);
        ChunkedFiles.Stored second = files.store(Files.write(root.resolve("edited.dat"), edited),
                root.resolve("edited.chunks"));

        // Then the second added at most three chunks' worth, and each rebuilds byte for byte
        assertThat(first.storedBytes()).isGreaterThan(data.length);
        assertThat(second.storedBytes()).isLessThan(3L * ChunkSizes.DEFAULT.maximum());
        java.io.ByteArrayOutputStream rebuilt = new java.io.ByteArrayOutputStream();
        assertThat(files.rebuild(root.resolve("edited.chunks"), rebuilt)).isEqualTo(second.sha256());
        assertThat(rebuilt.toByteArray()).isEqualTo(edited);
        assertThat(second.sha256()).isEqualTo(Sha256.of(edited, edited.length));
    }

    @Test
    void whatACrashedWriteLeftInTheTemporaryAreaGoesOnceOld() throws IOException {
        // Given a chunk written but never renamed into place an hour ago, and one being written now
        FilesystemChunkStore store = store();
        Path old = Files.writeString(root.resolve(".tmp").resolve("abandoned"), "half a chunk");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(3600)));
        Path fresh = Files.writeString(root.resolve(".tmp").resolve("in-flight"), "a chunk");

        // When leftovers older than ten minutes are removed
        int removed = store.removeAbandonedWrites(Instant.now().minusSeconds(600));

        // Then only the old one is gone
        assertThat(removed).isEqualTo(1);
        assertThat(old).doesNotExist();
        assertThat(fresh).exists();
    }
}
