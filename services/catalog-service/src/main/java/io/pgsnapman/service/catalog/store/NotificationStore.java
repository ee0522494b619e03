package io.pgsnapman.service.catalog.store;

import static io.pgsnapman.service.catalog.store.CatalogStore.ts;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The notification queue in the catalog database: a row per notification and destination, until sent or given up. */
@Repository
public class NotificationStore {

    /** A delivery due now. */
    public record Due(long id, String destination, String kind, String payload, int attempts) {}

    private final JdbcClient jdbc;

    public NotificationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Queues a notification for a destination; false when it was queued before (same key). */
    public boolean enqueue(String key, String destination, String kind, String payload, Instant at) {
        return jdbc.sql("INSERT INTO notifications (notification_key, destination, kind, payload, next_attempt_at, created_at)"
                        + " VALUES (:key, :destination, :kind, :payload, :at, :at) ON CONFLICT DO NOTHING")
                .param("key", key).param("destination", destination).param("kind", kind).param("payload", payload)
                .param("at", ts(at)).update() == 1;
    }

    /**
     * Takes up to {@code limit} due deliveries for this caller, pushing their next attempt to {@code leaseUntil} so a
     * second replica does not take them meanwhile (a crash mid-delivery retries them after it).
     */
    public List<Due> take(Instant now, Instant leaseUntil, int limit) {
        return jdbc.sql("UPDATE notifications n SET next_attempt_at = :lease FROM (SELECT id FROM notifications"
                        + " WHERE state = 'PENDING' AND next_attempt_at <= :now ORDER BY next_attempt_at LIMIT :limit"
                        + " FOR UPDATE SKIP LOCKED) due WHERE n.id = due.id"
                        + " RETURNING n.id, n.destination, n.kind, n.payload, n.attempts")
                .param("now", ts(now)).param("lease", ts(leaseUntil)).param("limit", limit)
                .query((rs, i) -> new Due(rs.getLong("id"), rs.getString("destination"), rs.getString("kind"),
                        rs.getString("payload"), rs.getInt("attempts")))
                .list();
    }

    public void sent(long id, Instant at) {
        jdbc.sql("UPDATE notifications SET state = 'SENT', sent_at = :at, attempts = attempts + 1, last_error = NULL"
                + " WHERE id = :id").param("id", id).param("at", ts(at)).update();
    }

    /** A failed delivery: tried again at {@code next}, or given up when {@code next} is null. */
    public void failed(long id, String error, Instant next) {
        if (next == null) {
            jdbc.sql("UPDATE notifications SET attempts = attempts + 1, last_error = :error, state = 'FAILED' WHERE id = :id")
                    .param("id", id).param("error", error).update();
        } else {
            jdbc.sql("UPDATE notifications SET attempts = attempts + 1, last_error = :error, next_attempt_at = :next WHERE id = :id")
                    .param("id", id).param("error", error).param("next", ts(next)).update();
        }
    }

    /** Deliveries not yet made or given up. */
    public long pending() {
        return jdbc.sql("SELECT count(*) FROM notifications WHERE state = 'PENDING'").query(Long.class).single();
    }
}
