package io.pgsnapman.service.catalog.notify;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing to tell people about, as every destination gets it: built only from event fields (no connection strings,
 * no credentials) and {@linkplain Redaction cleaned} once more.
 *
 * @param kind       what happened
 * @param key        what makes it unique (a redelivered event notifies once): the kind and the dump, request or episode
 * @param occurredAt when it happened
 * @param serverId   the server concerned
 * @param serverName its name, when known
 * @param dumpJobId  the dump job concerned, if any
 * @param jobName    its name, when known
 * @param subjectId  the dump, restore request or verification
 * @param text       what happened and why, for people
 */
public record Notification(NotificationKind kind, String key, Instant occurredAt, String serverId, String serverName,
        String dumpJobId, String jobName, String subjectId, String text) {

    public Notification {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        text = Redaction.clean(text);
    }

    /** The subject line: what, for which job or server. */
    public String title() {
        String where = jobName != null ? "job " + jobName : dumpJobId != null ? "job " + dumpJobId
                : "server " + (serverName != null ? serverName : serverId);
        return kind.title() + ": " + where;
    }
}
