package io.pgsnapman.repository;

import java.nio.file.Path;
import java.util.List;

/** A complete dump: its manifest, its files, and a re-check of their checksums. */
public interface DumpReader {

    Manifest manifest();

    /** Directory holding the dump's files (paths in the manifest are relative to it). */
    Path directory();

    /** SHA-256 of {@code manifest.json} itself, hex. */
    String manifestSha256();

    /** Every file re-read and compared with the manifest; empty when all match. */
    List<ChecksumMismatch> verify();

    /**
     * One file that does not match the manifest.
     *
     * @param path     file, relative to the dump
     * @param expected SHA-256 (or size) recorded, or "present" for a missing file
     * @param actual   what was found, or "missing"
     */
    record ChecksumMismatch(String path, String expected, String actual) {
        @Override
        public String toString() {
            return path + ": expected " + expected + ", found " + actual;
        }
    }
}
