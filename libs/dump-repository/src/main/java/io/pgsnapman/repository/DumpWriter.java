package io.pgsnapman.repository;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One dump being written: the tool writes into {@link #directory()}; {@link #commit} checksums every file,
 * writes the manifest last and makes the dump visible atomically; {@link #close()} without a commit
 * discards everything.
 */
public interface DumpWriter extends AutoCloseable {

    String dumpId();

    /** Where the dump's files go (e.g. pg_dump -Fd's target, which must not exist yet: use a sub-path). */
    Path directory();

    /**
     * The files in {@link #directory()} not yet kept as chunks (chunk indexes excluded), relative to it, sorted.
     *
     * @throws java.io.UncheckedIOException the directory cannot be listed (e.g. a file vanished while listing)
     */
    List<String> files();

    /**
     * Keeps a finished file of the dump as chunks in the repository's chunk store (deduplicated, compressed):
     * its chunk index is written beside the manifest and the file itself removed from the staging directory.
     * Safe to call for several files at once.
     *
     * @param path the file, relative to {@link #directory()}
     * @return the file's entry as the manifest will list it
     */
    Manifest.FileEntry storeAsChunks(String path) throws IOException;

    /**
     * Completes the dump: the manifest gets the files (sizes, SHA-256) and is written last.
     *
     * @param manifest everything but the file list
     * @return the manifest as written
     */
    Manifest commit(Manifest manifest);

    /** Discards the dump unless it was committed. */
    @Override
    void close();
}
