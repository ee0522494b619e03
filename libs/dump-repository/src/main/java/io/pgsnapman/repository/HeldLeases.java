package io.pgsnapman.repository;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases a worker holds for its running work, renewed together at a quarter of the stale age so none
 * is taken over while its work is alive (wall-clock time, as the repository judges staleness). Thread-safe: work threads add and release, one thread renews.
 */
public final class HeldLeases {

    private static final Logger log = LoggerFactory.getLogger(HeldLeases.class);

    private final Set<Lease> held = ConcurrentHashMap.newKeySet();
    private final Duration renewEvery;
    private volatile Instant lastRenewal = Instant.EPOCH;

    public HeldLeases(Duration staleAfter) {
        this.renewEvery = staleAfter.dividedBy(4);
    }

    public void hold(Lease lease) {
        held.add(lease);
    }

    /** Stops renewing the lease and releases it. */
    public void release(Lease lease) {
        held.remove(lease);
        lease.close();
    }

    /** Renews every held lease if a quarter of the stale age passed since the last renewal. */
    public void renewIfDue() {
        Instant now = Instant.now();
        if (now.isBefore(lastRenewal.plus(renewEvery))) {
            return;
        }
        lastRenewal = now;
        for (Lease lease : held) {
            try {
                lease.renew();
            } catch (RuntimeException e) {
                log.error("lost lease {}: {}", lease.name(), e.getMessage());
            }
        }
    }
}
