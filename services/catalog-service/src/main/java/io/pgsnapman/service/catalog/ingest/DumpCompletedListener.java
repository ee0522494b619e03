package io.pgsnapman.service.catalog.ingest;

import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.service.catalog.api.CatalogEntry;
import io.pgsnapman.service.catalog.maintenance.CatalogEvents;
import io.pgsnapman.service.catalog.notify.Notifications;
import io.pgsnapman.service.catalog.notify.Notifier;
import io.pgsnapman.service.catalog.retention.RetentionService;
import io.pgsnapman.service.catalog.store.CatalogStore;
import io.pgsnapman.service.catalog.verification.VerificationService;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Catalogs every {@code dump.completed} event and announces it (CATALOGED), plans its test restore when its job's
 * verification policy asks for one, then applies the job's retention. Its
 * offset is committed after the database write and the event, so a catalog-service that was down catches up from
 * Kafka on restart and loses nothing; a redelivered event changes nothing in the catalog (upsert by dump id) and
 * announces the dump again. Retention failing here is logged: the scheduled pass tries again.
 */
@Component
public class DumpCompletedListener {

    private static final Logger log = LoggerFactory.getLogger(DumpCompletedListener.class);

    private final CatalogStore store;
    private final CatalogEvents events;
    private final RetentionService retention;
    private final VerificationService verification;
    private final Notifier notifier;

    public DumpCompletedListener(CatalogStore store, CatalogEvents events, RetentionService retention,
            VerificationService verification, Notifier notifier) {
        this.store = store;
        this.notifier = notifier;
        this.events = events;
        this.retention = retention;
        this.verification = verification;
    }

    @KafkaListener(id = "catalog-dump-completed", topics = "#{T(io.pgsnapman.schemas.Topics).DUMP_COMPLETED.name()}",
            groupId = ListenerConfiguration.GROUP)
    public void onDumpCompleted(ConsumerRecord<String, DumpCompleted> record) {
        DumpCompleted event = record.value();
        store.record(event);
        log.info("recorded {} outcome of dump {}", event.getOutcome(), event.getDumpId());
        Optional<CatalogEntry> cataloged = store.find(event.getDumpId());
        cataloged.ifPresent(events::cataloged);
        if (cataloged.filter(dump -> Outcome.FAILED.name().equals(dump.outcome())).isPresent()) {
            Notifications.of(event).ifPresent(notifier::notify); // not for a late FAILED the catalog did not take
        }
        try {
            verification.planByPolicy(event.getDumpId());
        } catch (RuntimeException e) {
            log.warn("planning a test restore of dump {} failed: {}", event.getDumpId(), e.getMessage());
        }
        try {
            retention.apply(event.getDumpJobId());
        } catch (RuntimeException e) {
            log.warn("retention of job {} after dump {} failed, tried again on the next pass: {}", event.getDumpJobId(),
                    event.getDumpId(), e.getMessage());
        }
    }
}
