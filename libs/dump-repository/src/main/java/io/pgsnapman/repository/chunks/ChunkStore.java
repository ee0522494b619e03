package io.pgsnapman.repository.chunks;

import java.io.IOException;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Content-addressed storage of chunks shared by every dump: a chunk's id is the SHA-256 of its content (hex), it
 * is stored once, compressed, and read back only if its content still hashes to its id.
 */
public interface ChunkStore {

    /**
     * Stores {@code data[0, length)} unless a chunk with its id is stored already; then marks that chunk as just
     * used (garbage collection spares chunks used within its grace period).
     */
    Stored put(byte[] data, int length) throws IOException;

    /** The chunk's content, its hash checked. */
    byte[] get(String id) throws ChunkException;

    boolean contains(String id);

    /** Every stored chunk with its stored size and when it was last written or used. */
    void forEach(Consumer<Entry> each) throws IOException;

    /** Removes the chunk unless it was used after {@code unusedSince}; whether it was removed. */
    boolean removeIfUnusedSince(String id, Instant unusedSince) throws IOException;

    /** Makes every chunk stored so far durable (before a manifest that names them is written). */
    void flush() throws IOException;

    /**
     * One chunk as stored.
     *
     * @param id          SHA-256 of the content, hex
     * @param length      bytes of content
     * @param storedBytes bytes the store took for it now: its compressed size if new, 0 if it was there
     */
    record Stored(String id, int length, long storedBytes) {
        public boolean added() {
            return storedBytes > 0;
        }
    }

    /** A stored chunk: its id, its size on disk, when it was last written or used. */
    record Entry(String id, long storedBytes, Instant lastUsed) {}
}
