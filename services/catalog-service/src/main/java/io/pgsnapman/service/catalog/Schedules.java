package io.pgsnapman.service.catalog;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** catalog-service's background schedules: one daemon thread each, a failed run logged and the next run kept. */
final class Schedules {

    private static final Logger log = LoggerFactory.getLogger(Schedules.class);

    private Schedules() {}

    /**
     * Runs {@code work} on a daemon thread of that name, {@code delay} after each run ends (the first after
     * {@code first}); a run that throws is logged, and the next runs as planned.
     */
    static ScheduledExecutorService every(String name, Duration first, Duration delay, Runnable work) {
        ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        schedule.scheduleWithFixedDelay(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                log.warn("scheduled {} failed, tried again in {}: {}", name, delay, e.getMessage(), e);
            }
        }, first.toMillis(), delay.toMillis(), TimeUnit.MILLISECONDS);
        return schedule;
    }

}
