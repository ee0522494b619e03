package io.pgsnapman.service.catalog.maintenance;

import io.pgsnapman.schemas.EventHeaders;
import io.pgsnapman.events.catalog.CatalogEvent;
import io.pgsnapman.events.catalog.CatalogEventType;
import io.pgsnapman.events.catalog.TestRestore;
import io.pgsnapman.events.dump.VerificationStatus;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.catalog.api.CatalogEntry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes each kind of change of a dump in the catalog to {@code pgsnapman.catalog.events}, keyed by the dump id, and waits
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

    /** The dump is in the catalog (from its outcome). */
    public void cataloged(CatalogEntry dump) {
        publish(event(dump, CatalogEventType.CATALOGED));
    }

    /** A repository check found the dump damaged: {@code finding} names the file and chunk. */
    public void verificationFailed(CatalogEntry dump, String finding) {
        publish(event(dump, CatalogEventType.VERIFICATION_FAILED).setVerification(VerificationStatus.VERIFICATION_FAILED)
                .setReason(finding));
    }

    /** A repository check read the whole dump back intact. */
    public void verified(CatalogEntry dump, String reason) {
        publish(event(dump, CatalogEventType.VERIFIED).setVerification(VerificationStatus.VERIFIED).setReason(reason));
    }

    /**
     * A test restore ended: VERIFIED when {@code passed}, VERIFICATION_FAILED otherwise, with the server, its version
     * and the tables that differ.
     */
    public void testRestored(CatalogEntry dump, boolean passed, String reason, TestRestore testRestore) {
        publish(event(dump, passed ? CatalogEventType.VERIFIED : CatalogEventType.VERIFICATION_FAILED)
                .setVerification(passed ? VerificationStatus.VERIFIED : VerificationStatus.VERIFICATION_FAILED)
                .setReason(reason).setTestRestore(testRestore));
    }

    /** Pinned or unpinned by {@code who}. */
    public void pinned(CatalogEntry dump, boolean pinned, String who) {
        publish(event(dump, pinned ? CatalogEventType.PINNED : CatalogEventType.UNPINNED).setPinned(pinned)
                .setReason((pinned ? "pinned by " : "unpinned by ") + who));
    }

    /** A dump retention lets go, and the rule why. */
    public record Expiry(CatalogEntry dump, String rule) {}

    /**
     * Retention let these dumps go: the dump-worker deletes each and answers DELETED. All are sent at once and
     * waited for together; when one fails, the caller marks none (the next pass sends them again).
     */
    public void expired(List<Expiry> expiries) {
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (Expiry expiry : expiries) {
            CatalogEvent event = event(expiry.dump(), CatalogEventType.EXPIRED).setRetentionRule(expiry.rule())
                    .setReason("expired: " + expiry.rule()).build();
            sent.add(kafka.send(Topics.CATALOG_EVENTS.name(), event.getDumpId(), event));
        }
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + expiries.size() + " EXPIRED events", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish " + expiries.size() + " EXPIRED events: " + e.getMessage(), e);
        }
    }

    private CatalogEvent.Builder event(CatalogEntry dump, CatalogEventType type) {
        return CatalogEvent.newBuilder()
                .setHeader(EventHeaders.start(producer, clock))
                .setDumpId(dump.dumpId()).setType(type).setDumpJobId(dump.dumpJobId()).setServerId(dump.serverId())
                .setDatabaseName(dump.databaseName()).setLocation(dump.location())
                .setVerification(VerificationStatus.valueOf(dump.verification())).setPinned(dump.pinned())
                .setSizeBytes(dump.sizeBytes()).setStoredBytes(dump.storedBytes());
    }

    private void publish(CatalogEvent.Builder builder) {
        CatalogEvent event = builder.build();
        try {
            kafka.send(Topics.CATALOG_EVENTS.name(), event.getDumpId(), event).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + event.getType() + " of " + event.getDumpId(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot publish " + event.getType() + " of " + event.getDumpId() + ": "
                    + e.getMessage(), e);
        }
    }
}
