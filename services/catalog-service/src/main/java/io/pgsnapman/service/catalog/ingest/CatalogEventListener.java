package io.pgsnapman.service.catalog.ingest;

import io.pgsnapman.events.catalog.CatalogEvent;
import io.pgsnapman.events.catalog.CatalogEventType;
import io.pgsnapman.metrics.FleetMeters;
import io.pgsnapman.metrics.Metric;
import io.pgsnapman.service.catalog.store.RetentionStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Takes the dump-worker's answers on {@code catalog.events}: a DELETED dump is marked deleted in the catalog. A
 * DELETED for a dump the catalog does not know, or marked already, changes nothing; the other event types are this
 * service's own and are skipped.
 */
@Component
public class CatalogEventListener {

    private static final Logger log = LoggerFactory.getLogger(CatalogEventListener.class);

    private final RetentionStore store;
    private final FleetMeters meters;

    public CatalogEventListener(RetentionStore store, FleetMeters meters) {
        this.store = store;
        this.meters = meters;
    }

    @KafkaListener(id = "catalog-events", topics = "#{T(io.pgsnapman.schemas.Topics).CATALOG_EVENTS.name()}",
            groupId = ListenerConfiguration.GROUP)
    public void onCatalogEvent(ConsumerRecord<String, CatalogEvent> record) {
        CatalogEvent event = record.value();
        if (event.getType() != CatalogEventType.DELETED) {
            return;
        }
        if (store.markDeleted(event.getDumpId(), event.getHeader().getOccurredAt())) {
            log.info("dump {} deleted from the repository ({})", event.getDumpId(), event.getReason());
            meters.counter(Metric.RETENTION_DELETED, event.getDumpJobId()).increment();
        } else {
            log.debug("DELETED for {} changes nothing: unknown or marked already", event.getDumpId());
        }
    }
}
