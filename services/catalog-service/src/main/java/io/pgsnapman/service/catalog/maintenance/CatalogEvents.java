package io.pgsnapman.service.catalog.maintenance;

import io.pgsnapman.schemas.EventHeaders;
import io.pgsnapman.events.catalog.CatalogEvent;
import io.pgsnapman.events.catalog.CatalogEventType;
import io.pgsnapman.events.dump.VerificationStatus;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.catalog.api.CatalogEntry;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes a change of a dump in the catalog to {@code pgsnapman.catalog.events}, keyed by the dump id, and waits
 * until the broker has it: a caller changes the catalog only after its event is out, so a crash in between repeats
 * the event rather than losing it.
 */
public class CatalogEvents {

    private static final long SEND_TIMEOUT_SECONDS = 30;

    private final KafkaTemplate<String, Object> kafka;
    private final String producer;
    private final Clock clock;

    public CatalogEvents(KafkaTemplate<String, Object> kafka, String producer, Clock clock) {
        this.kafka = kafka;
        this.producer = producer;
        this.clock = clock;
    }

    /** Publishes what happened to {@code dump}, its state after the change given by {@code verification}. */
    public void publish(CatalogEntry dump, CatalogEventType type, VerificationStatus verification, String reason) {
        CatalogEvent event = CatalogEvent.newBuilder()
                .setHeader(EventHeaders.start(producer, clock))
                .setDumpId(dump.dumpId()).setType(type).setDumpJobId(dump.dumpJobId()).setServerId(dump.serverId())
                .setDatabaseName(dump.databaseName()).setLocation(dump.location()).setVerification(verification)
                .setPinned(dump.pinned()).setSizeBytes(dump.sizeBytes()).setStoredBytes(dump.storedBytes())
                .setReason(reason).build();
        try {
            kafka.send(Topics.CATALOG_EVENTS.name(), dump.dumpId(), event).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + type + " of " + dump.dumpId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish " + type + " of " + dump.dumpId() + ": " + e.getMessage(), e);
        }
    }
}
