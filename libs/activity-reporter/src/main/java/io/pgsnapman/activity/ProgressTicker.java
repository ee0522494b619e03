package io.pgsnapman.activity;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reports progress of long work at a fixed interval on one daemon thread shared by all the work of a worker:
 * {@code try (var ticking = ticker.every(interval, report)) { work }}. A report that throws is the reporter's
 * problem; the ticking goes on.
 */
public final class ProgressTicker implements AutoCloseable {

    private final ScheduledExecutorService timer;

    public ProgressTicker(String threadName) {
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code report} every {@code interval} (at least a second) until the returned handle is closed. */
    public Ticking every(Duration interval, Runnable report) {
        long seconds = Math.max(1, interval.toSeconds());
        ScheduledFuture<?> future = timer.scheduleAtFixedRate(() -> {
            try {
                report.run();
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
