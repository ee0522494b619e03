package io.pgsnapman.service.catalog.ingest;

import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.service.catalog.store.CatalogStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Catalogs every {@code dump.completed} event. Its offset is committed after the database write, so a
 * catalog-service that was down catches up from Kafka on restart and loses nothing; a redelivered event
 * changes nothing (upsert by dump id).
 */
@Component
public class DumpCompletedListener {

    private static final Logger log = LoggerFactory.getLogger(DumpCompletedListener.class);

    private final CatalogStore store;

    public DumpCompletedListener(CatalogStore store) {
        this.store = store;
    }

    @KafkaListener(id = "catalog-dump-completed", topics = "#{T(io.pgsnapman.schemas.Topics).DUMP_COMPLETED.name()}",
            groupId = "pgsnapman-catalog")
    public void onDumpCompleted(ConsumerRecord<String, DumpCompleted> record) {
        DumpCompleted event = record.value();
        store.record(event);
        log.info("recorded {} outcome of dump {}", event.getOutcome(), event.getDumpId());
    }
}
