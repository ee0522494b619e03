package io.pgsnapman.repository;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A complete dump: its manifest, its files, and a re-check of their checksums. */
public interface DumpReader {

    Manifest manifest();

    /**
     * Directory holding the dump's files (paths in the manifest are relative to it). For a dump kept as chunks
     * ({@link Manifest#chunked()}) it holds only the manifest and the chunk indexes: {@link #materialize} its
     * files first.
     */
    Path directory();

    /**
     * Writes every file of the dump under {@code into} as the tools read them, each chunk's hash and each file's
     * SHA-256 checked as it is written; stops at the first file that does not match and returns it (empty when
     * all were written and match).
     */
    List<ChecksumMismatch> materialize(Path into);

    /**
     * Writes one file of the dump to {@code out}, checked as in {@link #materialize}: each chunk's hash before it is
     * written, the file's SHA-256 at its end.
     *
     * @return what does not match (the file written so far is then incomplete or wrong); empty when it matches
     * @throws IOException {@code path} is not a file of the dump
     */
    Optional<ChecksumMismatch> copyFile(String path, OutputStream out) throws IOException;

    /** SHA-256 of {@code manifest.json} itself, hex. */
    String manifestSha256();

    /** Every file re-read and compared with the manifest; empty when all match. */
    List<ChecksumMismatch> verify();

    /**
     * One file that does not match the manifest.
     *
     * @param path     file, relative to the dump
     * @param expected SHA-256 (or size) recorded, "present" for a missing file, or the chunk expected
     * @param actual   what was found, "missing", or what is wrong with the chunk
     */
    record ChecksumMismatch(String path, String expected, String actual) {
        @Override
        public String toString() {
            return path + ": expected " + expected + ", found " + actual;
        }
    }
}
