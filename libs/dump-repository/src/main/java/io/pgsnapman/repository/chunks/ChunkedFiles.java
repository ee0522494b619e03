package io.pgsnapman.repository.chunks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;

/**
 * A dump's file as chunks: {@link #store} splits it into the {@link ChunkStore} and writes its {@link ChunkIndex};
 * {@link #rebuild} writes it back from its index, every chunk's hash checked as it is read. Memory stays at one
 * maximum-size chunk whatever the file's size.
 */
public final class ChunkedFiles {

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
     * caller to compare with the manifest's.
     *
     * @throws ChunkException a chunk is missing or damaged (what was written so far is incomplete)
     */
    public String rebuild(Path index, OutputStream out) throws IOException, ChunkException {
        MessageDigest whole = Sha256.digest();
        OutputStream hashed = new DigestOutputStream(out, whole);
        try {
            ChunkIndex.read(index, ref -> {
                try {
                    byte[] content = store.get(ref.id());
                    if (content.length != ref.length()) {
                        throw new Failed(ChunkException.damaged(ref.id(), content.length + " bytes, the index says "
                                + ref.length()));
                    }
                    hashed.write(content);
                } catch (ChunkException e) {
                    throw new Failed(e);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (Failed e) {
            throw e.chunk;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        hashed.flush();
        return Sha256.hex(whole);
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
