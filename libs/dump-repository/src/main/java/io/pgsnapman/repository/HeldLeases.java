package io.pgsnapman.repository;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases a worker holds for its running work, renewed together on their own timer at a quarter of the
 * stale age, so none is taken over while its work is alive, however busy the consumer thread is. When a
 * renewal fails (another worker took the lease over, the repository is gone) the work that holds it is
 * told: its {@link Holding} turns {@linkplain Holding#lost() lost} and the thread it runs on is interrupted,
 * which kills a running {@code pg_dump} or {@code pg_restore}. The work then cleans up and publishes nothing.
 *
 * <p>Thread-safe: the consumer thread takes leases, work threads attach and release, the timer renews.
 */
public final class HeldLeases implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HeldLeases.class);

    private final Set<Holding> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    /** Renews every {@code staleAfter / 4} on a timer thread of its own. */
    public HeldLeases(Duration staleAfter) {
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-renewal");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, staleAfter.dividedBy(4).toMillis());
        timer.scheduleWithFixedDelay(this::renewAll, every, every, TimeUnit.MILLISECONDS);
    }

    /** Without a timer: whoever holds it calls {@link #renewAll()} (tests). */
    private HeldLeases() {
        this.timer = null;
    }

    /** Leases renewed only when {@link #renewAll()} is called. */
    public static HeldLeases renewedByHand() {
        return new HeldLeases();
    }

    /** Holds these leases for one piece of work until {@link Holding#close()}. */
    public Holding hold(List<Lease> leases) {
        Holding holding = new Holding(List.copyOf(leases));
        held.add(holding);
        return holding;
    }

    /** Renews every held lease; a holding whose renewal fails is lost. */
    public void renewAll() {
        for (Holding holding : held) {
            for (Lease lease : holding.leases) {
                try {
                    lease.renew();
                } catch (RuntimeException e) {
                    log.error("lost lease {}: {}; cancelling its work", lease.name(), e.getMessage());
                    held.remove(holding);
                    holding.lose();
                    break;
                }
            }
        }
    }

    /** Leases held now, for tests and diagnostics. */
    public int heldCount() {
        return held.stream().mapToInt(h -> h.leases.size()).sum();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /**
     * The leases of one piece of work. The work {@linkplain #attach() attaches} the thread it runs on, so
     * losing a lease interrupts that thread; {@link #close()} releases the leases (those still ours) and
     * clears the thread's interrupt.
     */
    public final class Holding implements AutoCloseable {
        private final List<Lease> leases;
        private volatile boolean lost;
        private Thread worker;

        private Holding(List<Lease> leases) {
            this.leases = leases;
        }

        /** Binds this holding to the calling thread; returns itself for try-with-resources. */
        public synchronized Holding attach() {
            worker = Thread.currentThread();
            if (lost) {
                worker.interrupt();
            }
            return this;
        }

        /** Whether a lease was taken over or could not be renewed: the work must stop and publish nothing. */
        public boolean lost() {
            return lost;
        }

        private synchronized void lose() {
            lost = true;
            if (worker != null) {
                worker.interrupt();
            }
        }

        @Override
        public void close() {
            held.remove(this);
            for (Lease lease : leases) {
                try {
                    lease.close();
                } catch (RuntimeException e) {
                    log.warn("could not release lease {}: {}", lease.name(), e.getMessage());
                }
            }
            synchronized (this) {
                if (worker == Thread.currentThread()) {
                    Thread.interrupted(); // a loss's interrupt must not leak into the pool thread's next work
                }
                worker = null;
            }
        }
    }
}
