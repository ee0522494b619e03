package io.pgsnapman.repository;

import java.util.List;

/**
 * What {@link DumpRepository#check} found: every complete dump's files (or chunks) looked at, a share of them
 * read back and re-hashed.
 *
 * @param dumps           complete dumps checked
 * @param chunks          distinct chunks the chunked dumps name (each checked once, however many dumps share it)
 * @param chunksRead      of those, read back and re-hashed (the rest: checked to be present)
 * @param readDataPercent the share of chunks (and of plain files) read back, 0 to 100
 * @param problems        every dump a missing or damaged chunk or file affects, with that file and chunk
 */
public record RepositoryCheck(int dumps, long chunks, long chunksRead, int readDataPercent, List<Problem> problems) {

    public RepositoryCheck {
        problems = List.copyOf(problems);
    }

    /**
     * One dump a missing or damaged piece affects.
     *
     * @param dumpId the dump
     * @param file   its file
     * @param chunk  the chunk's id, or null for a plain file
     * @param what   missing, damaged and how
     */
    public record Problem(String dumpId, String file, String chunk, String what) {}
}
