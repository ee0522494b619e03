package io.pgsnapman.service.restoreworker;

import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.repository.Checksums;
import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.repository.Lease;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.restoreworker.settings.RestoreWorkerProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes restore requests (keyed by target server) for this worker's pool: one request at a time per
 * partition — so restores to one target never overlap — and up to {@code maxConcurrentRestores} partitions
 * at once, while the consumer keeps polling (busy partitions are paused). A request's offset is committed
 * after its {@link RestoreCompleted} was acknowledged. A request id already answered is answered again with
 * the same outcome (idempotency key); a lease per request id keeps two workers from running it at once.
 * Requests for unknown target servers are answered REJECTED by the {@code default} pool only.
 */
final class RequestConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RequestConsumer.class);

    private final Map<String, Object> consumerProperties;
    private final Deserializer<RestoreRequested> deserializer;
    private final Producer<String, Object> producer;
    private final CompactedTopicCache<ServerConfig> servers;
    private final Map<String, RestoreCompleted> answered;
    private final DumpRepository repository;
    private final RestoreValidator validator;
    private final RestoreExecutor executor;
    private final RestoreWorkerProperties properties;
    private final ExecutorService workers;
    private final Map<TopicPartition, TreeMap<Long, ConsumerRecord<String, RestoreRequested>>> queues = new HashMap<>();
    private final Map<TopicPartition, Boolean> busy = new HashMap<>();
    /** A request whose handling ended: {@code answered} when its outcome is on the topic, else it is taken again. */
    private record Done(ConsumerRecord<String, RestoreRequested> record, boolean answered) {}

    private final ConcurrentLinkedQueue<Done> finished = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile KafkaConsumer<String, RestoreRequested> consumer;
    private Thread thread;

    RequestConsumer(Map<String, Object> consumerProperties, Deserializer<RestoreRequested> deserializer,
            Producer<String, Object> producer, CompactedTopicCache<ServerConfig> servers,
            CompactedTopicCache<RestoreCompleted> previousOutcomes, DumpRepository repository, RestoreValidator validator,
            RestoreExecutor executor, RestoreWorkerProperties properties) {
        this.consumerProperties = new HashMap<>(consumerProperties);
        this.consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, "pgsnapman-restore-worker-" + properties.workerPool());
        this.consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerProperties.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.deserializer = deserializer;
        this.producer = producer;
        this.servers = servers;
        this.answered = new ConcurrentHashMap<>();
        previousOutcomes.addListener((key, before, after) -> {
            if (after != null) {
                answered.putIfAbsent(key, after);
            }
        });
        previousOutcomes.values().forEach(o -> answered.putIfAbsent(o.getRestoreRequestId(), o));
        this.repository = repository;
        this.validator = validator;
        this.executor = executor;
        this.properties = properties;
        this.workers = Executors.newFixedThreadPool(properties.maxConcurrentRestores(), r -> {
            Thread t = new Thread(r, "restore");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        thread = new Thread(this::loop, "restore-request-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (!stopping.get()) {
            try (KafkaConsumer<String, RestoreRequested> kafka =
                    new KafkaConsumer<>(consumerProperties, new StringDeserializer(), deserializer)) {
                consumer = kafka;
                kafka.subscribe(List.of(Topics.RESTORE_REQUESTED.name()), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                        revoked.forEach(tp -> {
                            queues.remove(tp);
                            busy.remove(tp);
                        });
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                        assigned.forEach(tp -> {
                            queues.put(tp, new TreeMap<>());
                            busy.put(tp, false);
                        });
                    }
                });
                while (!stopping.get()) {
                    try {
                        for (ConsumerRecord<String, RestoreRequested> record : kafka.poll(Duration.ofMillis(200))) {
                            TreeMap<Long, ConsumerRecord<String, RestoreRequested>> queue =
                                    queues.get(new TopicPartition(record.topic(), record.partition()));
                            if (queue != null) {
                                queue.put(record.offset(), record);
                            }
                        }
                    } catch (RecordDeserializationException e) {
                        log.error("restore request at {}@{} cannot be read, skipped: {}", e.topicPartition(), e.offset(),
                                e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                        kafka.seek(e.topicPartition(), e.offset() + 1);
                    }
                    commitFinished(kafka);
                    startWhatCan();
                    List<TopicPartition> pause = new ArrayList<>();
                    List<TopicPartition> resume = new ArrayList<>();
                    queues.forEach((tp, queue) -> (busy.getOrDefault(tp, false) || !queue.isEmpty() ? pause : resume).add(tp));
                    kafka.pause(pause);
                    kafka.resume(resume);
                }
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (!stopping.get()) {
                    log.error("restore request consumer failed, rejoining: {}", e.getMessage(), e);
                }
            } finally {
                consumer = null;
            }
        }
    }

    private void commitFinished(KafkaConsumer<String, RestoreRequested> kafka) {
        Done done;
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        while ((done = finished.poll()) != null) {
            ConsumerRecord<String, RestoreRequested> record = done.record();
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            if (queues.containsKey(tp)) {
                busy.put(tp, false);
                if (done.answered()) {
                    queues.get(tp).remove(record.offset());
                    commits.put(tp, new OffsetAndMetadata(record.offset() + 1));
                }
            }
        }
        if (!commits.isEmpty()) {
            kafka.commitSync(commits);
        }
    }

    private void startWhatCan() {
        long running = busy.values().stream().filter(b -> b).count();
        for (Map.Entry<TopicPartition, TreeMap<Long, ConsumerRecord<String, RestoreRequested>>> entry : queues.entrySet()) {
            if (running >= properties.maxConcurrentRestores() || !servers.isLoaded()) {
                return;
            }
            TopicPartition tp = entry.getKey();
            if (busy.getOrDefault(tp, false) || entry.getValue().isEmpty()) {
                continue;
            }
            ConsumerRecord<String, RestoreRequested> record = entry.getValue().firstEntry().getValue();
            RestoreRequested request = record.value();
            Optional<ServerConfig> target = request == null ? Optional.empty() : servers.get(request.getTargetServerId());
            boolean mine = request != null && (target.isPresent()
                    ? properties.workerPool().equals(target.get().getWorkerPool())
                    : "default".equals(properties.workerPool()));
            if (!mine) {
                finished.add(new Done(record, true));
                busy.put(tp, true);
                continue;
            }
            busy.put(tp, true);
            running++;
            workers.submit(() -> handle(record));
        }
    }

    private void handle(ConsumerRecord<String, RestoreRequested> record) {
        RestoreRequested request = record.value();
        String id = request.getRestoreRequestId();
        Optional<Lease> lease = Optional.empty();
        try {
            RestoreCompleted outcome = answered.get(id);
            if (outcome == null) {
                lease = repository.tryLease("restores/" + Checksums.sha256(id.getBytes(StandardCharsets.UTF_8)),
                        properties.instanceId(), properties.leaseStaleAfter());
                if (lease.isEmpty()) {
                    log.info("restore {} is running on another worker; will look again", id);
                    sleepQuietly();
                    finished.add(new Done(record, false));
                    return;
                }
                RestoreValidator.Verdict verdict = validator.check(request);
                outcome = verdict.rejection() != null
                        ? executor.rejected(request, verdict.rejection())
                        : executor.run(request, verdict.plan());
                answered.put(id, outcome);
            } else {
                log.info("restore {} was answered before ({}); answering the same", id, outcome.getOutcome());
            }
            producer.send(new ProducerRecord<>(Topics.RESTORE_COMPLETED.name(), id, outcome)).get();
            finished.add(new Done(record, true));
        } catch (Exception e) {
            log.error("restore {} not answered, will retry: {}", id, e.getMessage());
            sleepQuietly();
            finished.add(new Done(record, false));
        } finally {
            lease.ifPresent(Lease::close);
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopping.set(true);
        KafkaConsumer<String, RestoreRequested> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.shutdownNow();
    }
}
