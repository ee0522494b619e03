package io.pgsnapman.repository;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /** Removes leftovers of writes that never committed (crashed workers), older than the given age. */
    int removeAbandonedWrites(Duration olderThan);
}
