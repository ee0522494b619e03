package io.pgsnapman.service.dumpworker;

import io.pgsnapman.repository.DumpRepository;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what crashed or cancelled dumps left in the repository's staging area: a dump's partial directory
 * as soon as no worker holds its lease any more (its worker died and the lease went stale, or it was
 * cancelled), other leftovers after {@code abandonedWriteAge}. Runs at start and then every
 * {@code leaseStaleAfter}, on a thread of its own; any worker of the pool may sweep for all of them.
 */
final class StagingSweeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StagingSweeper.class);

    private final DumpRepository repository;
    private final Duration leaseStaleAfter;
    private final Duration abandonedWriteAge;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "staging-sweeper");
        t.setDaemon(true);
        return t;
    });

    StagingSweeper(DumpRepository repository, Duration leaseStaleAfter, Duration abandonedWriteAge) {
        this.repository = repository;
        this.leaseStaleAfter = leaseStaleAfter;
        this.abandonedWriteAge = abandonedWriteAge;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::sweepQuietly, 0, leaseStaleAfter.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One sweep; the number of leftovers removed. */
    int sweep() {
        return repository.removeAbandonedWrites(abandonedWriteAge,
                dumpId -> repository.leaseHeld(TickConsumer.dumpLease(dumpId), leaseStaleAfter));
    }

    private void sweepQuietly() {
        try {
            int removed = sweep();
            if (removed > 0) {
                log.info("removed {} abandoned dump write(s) from the repository's staging area", removed);
            }
        } catch (RuntimeException e) {
            log.error("sweeping the staging area failed (trying again in {}): {}", leaseStaleAfter, e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
