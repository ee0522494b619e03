package io.pgsnapman.repository;

/**
 * What a garbage collection of the chunk store found and freed.
 *
 * @param dryRun          nothing was removed; {@code removable*} says what would have been
 * @param chunks          chunks in the store before
 * @param storedBytes     their bytes on disk
 * @param referenced      distinct chunks the dumps (complete or being written) name
 * @param removable       chunks no dump names and unused for longer than the grace period
 * @param removableBytes  their bytes
 * @param recent          unnamed chunks used within the grace period (kept: a dump being written may need them)
 * @param removed         chunks removed (fewer than removable when a writer used one meanwhile)
 */
public record GarbageReport(boolean dryRun, long chunks, long storedBytes, long referenced, long removable,
        long removableBytes, long recent, long removed) {}
