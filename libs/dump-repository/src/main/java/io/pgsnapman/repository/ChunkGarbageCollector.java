package io.pgsnapman.repository;

import io.pgsnapman.repository.chunks.ChunkIndex;
import io.pgsnapman.repository.chunks.ChunkStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the chunks no dump uses, safely beside workers writing dumps (ADR 12). Mark: every chunk named by a chunk
 * index of a dump being written (read first) or of a complete dump (read second, so a dump committed meanwhile is
 * seen in one of the two). Sweep: every unmarked chunk last used before {@code start - grace} is removed; the
 * chunk store puts back one a writer used meanwhile. Marks are kept as the first 64 bits of each id, sorted: 8
 * bytes a chunk, and a collision can only keep garbage, never remove a chunk in use.
 */
final class ChunkGarbageCollector {

    private static final Logger log = LoggerFactory.getLogger(ChunkGarbageCollector.class);

    private final Path dumps;
    private final Path staging;
    private final ChunkStore store;
    private final Clock clock;

    ChunkGarbageCollector(Path dumps, Path staging, ChunkStore store, Clock clock) {
        this.dumps = dumps;
        this.staging = staging;
        this.store = store;
        this.clock = clock;
    }

    GarbageReport collect(Duration grace, boolean dryRun) throws IOException {
        Instant start = Instant.ofEpochMilli(clock.millis());
        Instant unusedSince = start.minus(grace);
        Marks marks = new Marks();
        marked(staging, marks, true);
        marked(dumps, marks, false);
        long[] sorted = marks.sorted();
        long[] counts = new long[6]; // chunks, bytes, removable, removable bytes, recent, removed
        store.forEach(chunk -> {
            counts[0]++;
            counts[1] += chunk.storedBytes();
            if (Arrays.binarySearch(sorted, prefix(chunk.id())) >= 0) {
                return;
            }
            if (!chunk.lastUsed().isBefore(unusedSince)) {
                counts[4]++;
                return;
            }
            counts[2]++;
            counts[3] += chunk.storedBytes();
            if (!dryRun) {
                try {
                    if (store.removeIfUnusedSince(chunk.id(), unusedSince)) {
                        counts[5]++;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        GarbageReport report = new GarbageReport(dryRun, counts[0], counts[1], sorted.length, counts[2], counts[3],
                counts[4], counts[5]);
        log.info("chunk garbage collection: {}", report);
        return report;
    }

    /** Adds the chunks of every chunk index under {@code root}. */
    private static void marked(Path root, Marks marks, boolean beingWritten) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path index : (Iterable<Path>) files.filter(ChunkGarbageCollector::isChunkIndex)::iterator) {
                try {
                    if (beingWritten) {
                        ChunkIndex.readWhileWritten(index, ref -> marks.add(prefix(ref.id())));
                    } else {
                        ChunkIndex.read(index, ref -> marks.add(prefix(ref.id())));
                    }
                } catch (NoSuchFileException committedOrGone) {
                    // a dump committed meanwhile is read from the dumps; one discarded needs nothing
                }
            }
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof NoSuchFileException)) {
                throw e;
            }
        }
    }

    /** A chunk index: {@code <dump>/.chunks/<file>.chunks}. */
    private static boolean isChunkIndex(Path file) {
        return file.getFileName().toString().endsWith(".chunks") && file.getParent() != null
                && file.getParent().getFileName().toString().equals(FilesystemDumpRepository.CHUNK_INDEXES);
    }

    private static long prefix(String id) {
        return Long.parseUnsignedLong(id.substring(0, 16), 16);
    }

    /** A growable array of marks. */
    private static final class Marks {
        private long[] values = new long[1 << 12];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = value;
        }

        long[] sorted() {
            long[] result = Arrays.copyOf(values, size);
            Arrays.sort(result);
            return Arrays.stream(result).distinct().toArray();
        }
    }
}
