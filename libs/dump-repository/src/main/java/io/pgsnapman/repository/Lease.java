package io.pgsnapman.repository;

/**
 * A named lease in the repository, held by one worker at a time across the whole pool (e.g. "dump X is being
 * written", "slot 2 of server Y is taken"). The holder renews it well within the stale age; a lease not
 * renewed for that long is considered abandoned (its holder crashed) and may be taken over.
 */
public interface Lease extends AutoCloseable {

    String name();

    /** Marks the lease as still held. */
    void renew();

    /** Releases it. */
    @Override
    void close();
}
