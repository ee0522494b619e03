package io.pgsnapman.repository;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The shared store of dumps. A dump becomes visible ({@link #open}, {@link #list}) only once its writer
 * committed it, with its manifest written last; an aborted or crashed write leaves nothing that looks
 * complete. Implementations are safe for concurrent use by several workers on different dump ids.
 */
public interface DumpRepository {

    /**
     * Starts writing a dump. Fails with {@link DumpAlreadyExistsException} when a complete dump of that id
     * exists (a redelivered request must not overwrite it).
     */
    DumpWriter begin(String dumpId);

    /** The complete dump of that id, if any. */
    Optional<DumpReader> open(String dumpId);

    /** The manifests of every complete dump, in no particular order. */
    List<Manifest> list();

    /** Removes a dump (complete or not); false when there was none. */
    boolean delete(String dumpId);

    /**
     * Takes the lease of that name unless another holder renewed it within {@code staleAfter}.
     *
     * @param name  lease name (same rules as a dump id)
     * @param owner who holds it, for operators reading the repository
     */
    Optional<Lease> tryLease(String name, String owner, Duration staleAfter);

    /**
     * Stores a small record under a name for good, replacing one of that name: written whole or not at all
     * (e.g. the outcome of a restore request, so a repeated request id is answered the same for ever).
     *
     * @param name record name (same rules as a dump id)
     */
    void storeRecord(String name, byte[] content);

    /** The record stored under that name, if any. */
    Optional<byte[]> loadRecord(String name);

    /** Whether someone holds the lease of that name: taken and renewed within {@code staleAfter}. */
    boolean leaseHeld(String name, Duration staleAfter);

    /**
     * Removes what writes that never committed left behind (a crashed or cancelled worker): the staging directory
     * of a dump that is no longer being written, whatever its age, and any other leftover older than
     * {@code olderThan} — in the staging area or in the chunk store's temporary area.
     *
     * @param beingWritten answers, for a dump id, whether a live worker is writing it now (e.g. holds its lease)
     */
    int removeAbandonedWrites(Duration olderThan, Predicate<String> beingWritten);

    /**
     * Removes the chunks no dump uses — neither a complete dump nor one being written — and that nobody used within
     * {@code grace} (longer than the time between a writer storing a chunk and listing it: minutes). With
     * {@code dryRun}, only reports what it would free.
     */
    GarbageReport collectGarbage(Duration grace, boolean dryRun);

    /**
     * Checks every complete dump: each chunk (and plain file) present, and {@code readDataPercent} of them read
     * back and re-hashed; lists every dump a missing or damaged piece affects.
     */
    RepositoryCheck check(int readDataPercent);
}
