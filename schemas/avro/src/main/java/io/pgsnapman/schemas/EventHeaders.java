package io.pgsnapman.schemas;

import io.pgsnapman.events.EventHeader;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** Builds the {@link EventHeader} every event carries: a fresh event id, the time, the producer, the chain. */
public final class EventHeaders {

    private EventHeaders() {}

    /** A header that starts a new chain (its correlation id is its own event id). */
    public static EventHeader start(String producer, Clock clock) {
        String id = UUID.randomUUID().toString();
        return header(id, producer, id, clock);
    }

    /** A header that continues the chain of {@code cause}. */
    public static EventHeader following(EventHeader cause, String producer, Clock clock) {
        return header(UUID.randomUUID().toString(), producer, cause.getCorrelationId(), clock);
    }

    private static EventHeader header(String id, String producer, String correlationId, Clock clock) {
        return EventHeader.newBuilder()
                .setEventId(id)
                .setOccurredAt(Instant.ofEpochMilli(clock.millis()))
                .setProducer(producer)
                .setCorrelationId(correlationId)
                .build();
    }
}
