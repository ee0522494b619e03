package io.pgsnapman.service.catalog.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pgsnapman.metrics.FleetMeters;
import io.pgsnapman.service.catalog.fleet.FleetEntry;
import io.pgsnapman.service.catalog.fleet.JobHealth;
import io.pgsnapman.service.catalog.settings.NotificationProperties;
import io.pgsnapman.service.catalog.store.NotificationStore;
import io.pgsnapman.testsupport.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class NotifierTest {

    /** The queue in memory: what the database would hold. */
    static final class Queue extends NotificationStore {
        record Row(long id, String key, String destination, String kind, String payload, Instant next, int attempts, String state) {}

        final List<Row> rows = new ArrayList<>();

        Queue() {
            super(null);
        }

        @Override
        public boolean enqueue(String key, String destination, String kind, String payload, Instant at) {
            if (rows.stream().anyMatch(r -> r.key().equals(key) && r.destination().equals(destination))) {
                return false;
            }
            return rows.add(new Row(rows.size() + 1, key, destination, kind, payload, at, 0, "PENDING"));
        }

        @Override
        public List<Due> take(Instant now, Instant leaseUntil, int limit) {
            return rows.stream().filter(r -> r.state().equals("PENDING") && !r.next().isAfter(now))
                    .map(r -> new Due(r.id(), r.destination(), r.kind(), r.payload(), r.attempts())).toList();
        }

        @Override
        public void sent(long id, Instant at) {
            update(id, "SENT", null);
        }

        @Override
        public void failed(long id, String error, Instant next) {
            update(id, next == null ? "FAILED" : "PENDING", next);
        }

        private void update(long id, String state, Instant next) {
            Row r = rows.get((int) id - 1);
            rows.set((int) id - 1, new Row(r.id(), r.key(), r.destination(), r.kind(), r.payload(), next == null ? r.next() : next,
                    r.attempts() + 1, state));
        }

        @Override
        public long pending() {
            return rows.stream().filter(r -> r.state().equals("PENDING")).count();
        }
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-08-01T00:00:00Z"));
    private final Queue queue = new Queue();
    private final List<String> delivered = new ArrayList<>();
    private int failuresToCome;

    private Notifier notifier(NotificationProperties.Destination... destinations) {
        NotificationProperties settings = new NotificationProperties(List.of(destinations),
                new NotificationProperties.Smtp(null, 25, "x@y", null, null, false),
                Duration.ofSeconds(1), 3, Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofSeconds(1));
        Sender sender = (d, n) -> {
            if (failuresToCome-- > 0) {
                throw new java.io.IOException("HTTP 503");
            }
            delivered.add(d.name() + ": " + n.title());
        };
        return new Notifier(queue, settings, Map.of(NotificationProperties.Type.WEBHOOK, sender), id -> "name of " + id,
                id -> null, new FleetMeters(new SimpleMeterRegistry()), clock, RandomGenerator.getDefault(), JsonMapper.builder().build());
    }

    private static NotificationProperties.Destination hook(String name, Set<NotificationKind> kinds) {
        return new NotificationProperties.Destination(name, NotificationProperties.Type.WEBHOOK, URI.create("http://h/" + name),
                List.of(), kinds, Set.of(), Set.of());
    }

    private static Notification dumpFailed(String dumpId) {
        return new Notification(NotificationKind.DUMP_FAILED, "DUMP_FAILED/" + dumpId, Instant.EPOCH, "srv-1", null, "job-1", null,
                dumpId, "failed");
    }

    @Test
    void aNotificationIsQueuedOncePerWantingDestinationAndDeliveredWithTheServersName() {
        Notifier notifier = notifier(hook("all", Set.of()), hook("restores", Set.of(NotificationKind.RESTORE_REJECTED)));

        assertThat(notifier.notify(dumpFailed("d1"))).isEqualTo(1);
        assertThat(notifier.notify(dumpFailed("d1"))).isZero();
        assertThat(notifier.dispatch()).isEqualTo(1);

        assertThat(delivered).containsExactly("all: Dump failed: job job-1");
        assertThat(queue.rows.get(0).payload()).contains("name of srv-1");
        assertThat(notifier.pending()).isZero();
    }

    @Test
    void aFailedDeliveryIsTriedAgainAfterTheBackoffAndGivenUpAfterTheLastAttempt() {
        Notifier notifier = notifier(hook("all", Set.of()));
        notifier.notify(dumpFailed("d1"));
        failuresToCome = 5;

        assertThat(notifier.dispatch()).isZero();
        assertThat(notifier.dispatch()).as("not due before its backoff").isZero();
        assertThat(queue.rows.get(0).attempts()).isEqualTo(1);
        clock.set(clock.instant().plus(Duration.ofSeconds(13)));
        notifier.dispatch();
        clock.set(clock.instant().plus(Duration.ofSeconds(25)));
        notifier.dispatch();

        assertThat(queue.rows.get(0).state()).isEqualTo("FAILED");
        assertThat(queue.rows.get(0).attempts()).isEqualTo(3);
        assertThat(delivered).isEmpty();
    }

    @Test
    void aLateJobIsNotifiedOncePerEpisode() {
        Notifier notifier = notifier(hook("all", Set.of()));
        FleetEntry late = new FleetEntry("job-1", "shop", "srv-1", "production", JobHealth.LATE, "newest verified dump is 2 d old",
                null, Instant.parse("2026-07-29T02:00:00Z"), 172_800L, 86_400L, new FleetEntry.KeptDumps(1, 0, 0), 10);
        FleetEntry ok = new FleetEntry("job-2", "web", "srv-1", "production", JobHealth.OK, "fine", null, null, null, null,
                new FleetEntry.KeptDumps(0, 0, 0), 0);

        notifier.missingBackups(List.of(late, ok));
        notifier.missingBackups(List.of(late, ok));
        notifier.missingBackups(List.of(new FleetEntry("job-1", "shop", "srv-1", "production", JobHealth.LATE, "again", null,
                Instant.parse("2026-07-30T02:00:00Z"), 100_000L, 86_400L, new FleetEntry.KeptDumps(2, 0, 0), 10)));

        assertThat(queue.rows).extracting(Queue.Row::key).containsExactly("BACKUP_MISSING/job-1/2026-07-29T02:00:00Z",
                "BACKUP_MISSING/job-1/2026-07-30T02:00:00Z");
    }
}
