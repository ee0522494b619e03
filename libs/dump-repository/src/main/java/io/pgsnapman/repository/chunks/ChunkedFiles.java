package io.pgsnapman.repository.chunks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A dump's file as chunks: {@link #store} splits it into the {@link ChunkStore} and writes its {@link ChunkIndex};
 * {@link #rebuild} writes it back from its index, every chunk's hash checked as it is read. Memory stays at one
 * maximum-size chunk whatever the file's size.
 */
public final class ChunkedFiles {

    private static final int READERS = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** Threads that read chunks ahead of the writer, shared by every rebuild in this process (daemons). */
    private static final ExecutorService READ_AHEAD = Executors.newFixedThreadPool(READERS, r -> {
        Thread t = new Thread(r, "chunk-reader");
        t.setDaemon(true);
        return t;
    });

    private final Chunker chunker;
    private final ChunkStore store;

    public ChunkedFiles(Chunker chunker, ChunkStore store) {
        this.chunker = chunker;
        this.store = store;
    }

    public ChunkStore store() {
        return store;
    }

    /**
     * What storing a file took.
     *
     * @param size        the file's bytes
     * @param sha256      SHA-256 of the whole file, hex
     * @param chunks      how many chunks it has
     * @param storedBytes bytes of the chunks it added to the store (its new, unique, compressed bytes)
     */
    public record Stored(long size, String sha256, long chunks, long storedBytes) {}

    /** Stores {@code file} as chunks and writes their list to {@code index}. */
    public Stored store(Path file, Path index) throws IOException {
        MessageDigest whole = Sha256.digest();
        long[] totals = new long[3];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                ChunkIndex.Writer refs = ChunkIndex.write(index)) {
            chunker.split(in, (data, length) -> {
                whole.update(data, 0, length);
                ChunkStore.Stored chunk = store.put(data, length);
                refs.add(chunk.id(), length);
                totals[0] += length;
                totals[1]++;
                totals[2] += chunk.storedBytes();
            });
        }
        return new Stored(totals[0], Sha256.hex(whole), totals[1], totals[2]);
    }

    /**
     * Writes the file that {@code index} lists to {@code out}; returns the SHA-256 of what was written, for the
     * caller to compare with the manifest's. The next chunks are read, decompressed and checked on the reading
     * threads while earlier ones are written (a window of two per thread), in order.
     *
     * @throws ChunkException a chunk is missing or damaged (what was written so far is incomplete)
     */
    public String rebuild(Path index, OutputStream out) throws IOException, ChunkException {
        MessageDigest whole = Sha256.digest();
        OutputStream hashed = new DigestOutputStream(out, whole);
        Deque<Future<byte[]>> window = new ArrayDeque<>();
        try {
            ChunkIndex.read(index, ref -> {
                window.add(READ_AHEAD.submit(() -> checked(ref)));
                if (window.size() >= 2 * READERS) {
                    write(window.poll(), hashed);
                }
            });
            while (!window.isEmpty()) {
                write(window.poll(), hashed);
            }
        } catch (Failed e) {
            throw e.chunk;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            window.forEach(f -> f.cancel(false));
        }
        hashed.flush();
        return Sha256.hex(whole);
    }

    private byte[] checked(ChunkIndex.Ref ref) throws ChunkException {
        byte[] content = store.get(ref.id());
        if (content.length != ref.length()) {
            throw ChunkException.damaged(ref.id(), content.length + " bytes, the index says " + ref.length());
        }
        return content;
    }

    private static void write(Future<byte[]> next, OutputStream out) {
        try {
            out.write(next.get());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ChunkException chunk) {
                throw new Failed(chunk);
            }
            throw new IllegalStateException("reading a chunk failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted while rebuilding a file"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Carries a chunk's failure out of the index reader's callback. */
    private static final class Failed extends RuntimeException {
        private final ChunkException chunk;

        Failed(ChunkException chunk) {
            super(chunk.getMessage(), null, false, false);
            this.chunk = chunk;
        }
    }

}
