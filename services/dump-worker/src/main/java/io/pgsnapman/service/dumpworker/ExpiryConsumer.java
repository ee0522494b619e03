package io.pgsnapman.service.dumpworker;

import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.events.catalog.CatalogEvent;
import io.pgsnapman.events.catalog.CatalogEventType;
import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.schemas.EventHeaders;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.dumpworker.settings.DumpWorkerProperties;
import io.pgsnapman.workconsumer.WorkConsumer;
import io.pgsnapman.workconsumer.WorkerProducers;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the dumps retention let go: every EXPIRED on {@code catalog.events} removes its dump from the repository
 * and is answered DELETED (the chunks it alone used are freed by the next garbage collection). One consumer group
 * across all dump-workers, so each dump is deleted once. At-least-once safe: a replayed EXPIRED finds nothing to
 * delete and answers DELETED again; a repository error is retried by the failure policy, then dead-lettered with its
 * stage, never dropped. Other event types are skipped.
 */
final class ExpiryConsumer implements AutoCloseable, WorkConsumer.Dispatcher<CatalogEvent> {

    private static final Logger log = LoggerFactory.getLogger(ExpiryConsumer.class);
    static final String GROUP = "pgsnapman-dump-worker-expiry";

    private final Producer<String, Object> producer;
    private final DumpRepository repository;
    private final Clock clock;
    private final String producerName;
    private final WorkConsumer<CatalogEvent> consumer;

    ExpiryConsumer(Map<String, Object> consumerProperties, Deserializer<CatalogEvent> deserializer,
            Producer<String, Object> producer, DeadLetters deadLetters, DumpRepository repository, Clock clock,
            DumpWorkerProperties properties) {
        Map<String, Object> props = new HashMap<>(consumerProperties);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.producer = producer;
        this.repository = repository;
        this.clock = clock;
        this.producerName = "dump-worker/" + properties.instanceId();
        Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers =
                () -> new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.consumer = new WorkConsumer<>(consumers, deserializer, deadLetters,
                new WorkConsumer.Settings(Topics.CATALOG_EVENTS.name(), 2, properties.failures()), this);
    }

    void start() {
        consumer.start();
    }

    @Override
    public String exclusiveKey(ConsumerRecord<String, CatalogEvent> record) {
        return record.value() == null ? null : record.value().getDumpId();
    }

    @Override
    public WorkConsumer.Triage triage(ConsumerRecord<String, CatalogEvent> record) {
        return record.value() != null && record.value().getType() == CatalogEventType.EXPIRED
                ? WorkConsumer.Triage.READY : WorkConsumer.Triage.SKIP;
    }

    @Override
    public Optional<WorkConsumer.Work> start(ConsumerRecord<String, CatalogEvent> record) {
        CatalogEvent expired = record.value();
        return Optional.of(() -> {
            boolean deleted = repository.delete(expired.getDumpId());
            log.info("dump {} {} ({})", expired.getDumpId(), deleted ? "deleted" : "was not in the repository",
                    expired.getReason());
            CatalogEvent answer = CatalogEvent.newBuilder(expired)
                    .setHeader(EventHeaders.following(expired.getHeader(), producerName, clock))
                    .setType(CatalogEventType.DELETED)
                    .setReason(deleted ? "deleted after " + expired.getReason() : "nothing to delete after "
                            + expired.getReason())
                    .build();
            return WorkerProducers.publishOutcome(producer,
                    new ProducerRecord<>(Topics.CATALOG_EVENTS.name(), answer.getDumpId(), answer));
        });
    }

    @Override
    public void close() {
        consumer.close();
    }
}
