package io.pgsnapman.activity;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Reports how far long work got at a fixed interval, on one daemon thread shared by all the work of a worker:
 * {@code try (var ticking = ticker.bytes(subject, "dumping", () -> size)) { work }}. A measure that fails (throws
 * or answers a negative number) is skipped this time; the ticking goes on.
 */
public final class ProgressTicker implements AutoCloseable {

    private final ActivityReporter activity;
    private final long seconds;
    private final ScheduledExecutorService timer;

    /**
     * @param interval how often (at least every second)
     */
    public ProgressTicker(ActivityReporter activity, String threadName, Duration interval) {
        this.activity = activity;
        this.seconds = Math.max(1, interval.toSeconds());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Reports {@code measure} bytes in {@code phase} of the subject's work every interval until closed. */
    public Ticking bytes(ActivityReporter.Subject subject, String phase, LongSupplier measure) {
        ScheduledFuture<?> future = timer.scheduleAtFixedRate(() -> {
            try {
                long done = measure.getAsLong();
                if (done >= 0) {
                    activity.progress(subject, phase, done, null, "bytes");
                }
            } catch (RuntimeException e) {
                // no progress this time; the work goes on
            }
        }, seconds, seconds, TimeUnit.SECONDS);
        return () -> future.cancel(false);
    }

    /** Stops every report. */
    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** A running report; closing it stops it. */
    @FunctionalInterface
    public interface Ticking extends AutoCloseable {
        @Override
        void close();
    }
}
