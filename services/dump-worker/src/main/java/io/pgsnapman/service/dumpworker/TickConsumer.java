package io.pgsnapman.service.dumpworker;

import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.events.Failure;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.dump.VerificationStatus;
import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.repository.Lease;
import io.pgsnapman.schemas.EventHeaders;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.dumpworker.settings.DumpWorkerProperties;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
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
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the ticks of this worker's pool off {@code schedule.ticks} (consumer group per pool) and runs them
 * for hours if need be while the consumer keeps polling. Records of a partition may run concurrently and
 * finish in any order; the committed offset only moves past a record once its {@link DumpCompleted} was
 * acknowledged by the broker. A partition with records waiting for capacity is paused until they start.
 * Capacity: at most {@code maxConcurrentDumps} on this worker, and at most the server's
 * {@code maxConcurrentDumps} across the pool (slot leases in the shared repository). A lease per dump id
 * keeps two workers from running the same dump at once, e.g. after a rebalance. Ticks of other pools are
 * skipped; a tick whose {@code notBefore} lies ahead waits. A record that cannot be decoded goes to the
 * dead-letter topic with the error in its headers.
 */
final class TickConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TickConsumer.class);

    private final Map<String, Object> consumerProperties;
    private final Deserializer<DumpRequested> deserializer;
    private final Producer<String, Object> producer;
    private final Producer<byte[], byte[]> deadLetters;
    private final CompactedTopicCache<ServerConfig> servers;
    private final DumpRepository repository;
    private final DumpExecutor executor;
    private final Clock clock;
    private final DumpWorkerProperties properties;
    private final ExecutorService workers;
    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
    private final ConcurrentLinkedQueue<Done> finished = new ConcurrentLinkedQueue<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Set<Lease> heldLeases = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile KafkaConsumer<String, DumpRequested> consumer;
    private Thread thread;
    private Instant lastRenewal = Instant.EPOCH;

    /** A record whose work ended: {@code published} when its outcome was acknowledged, else it is taken again. */
    private record Done(TopicPartition partition, ConsumerRecord<String, DumpRequested> record, int generation,
            boolean published) {}

    /** The records of one partition between the committed offset and what was fetched. */
    private static final class PartitionState {
        final int generation;
        final TreeMap<Long, Boolean> offsets = new TreeMap<>();
        final TreeMap<Long, ConsumerRecord<String, DumpRequested>> waiting = new TreeMap<>();
        long committed = -1;

        PartitionState(int generation) {
            this.generation = generation;
        }
    }

    private int generation;

    TickConsumer(Map<String, Object> consumerProperties, Deserializer<DumpRequested> deserializer,
            Producer<String, Object> producer, Producer<byte[], byte[]> deadLetters,
            CompactedTopicCache<ServerConfig> servers, DumpRepository repository, DumpExecutor executor, Clock clock,
            DumpWorkerProperties properties) {
        this.consumerProperties = new HashMap<>(consumerProperties);
        this.consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, "pgsnapman-dump-worker-" + properties.workerPool());
        this.consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerProperties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        this.consumerProperties.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.deserializer = deserializer;
        this.producer = producer;
        this.deadLetters = deadLetters;
        this.servers = servers;
        this.repository = repository;
        this.executor = executor;
        this.clock = clock;
        this.properties = properties;
        this.workers = Executors.newFixedThreadPool(properties.maxConcurrentDumps(), r -> {
            Thread t = new Thread(r, "dump");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        thread = new Thread(this::loop, "tick-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Dumps running on this worker now. */
    int runningCount() {
        return running.size();
    }

    private void loop() {
        while (!stopping.get()) {
            try {
                consume();
            } catch (RuntimeException e) {
                if (stopping.get()) {
                    return;
                }
                log.error("tick consumer failed, rejoining in 2 s: {}", e.getMessage(), e);
                sleep(Duration.ofSeconds(2));
            }
        }
    }

    private void consume() {
        try (KafkaConsumer<String, DumpRequested> kafka =
                new KafkaConsumer<>(consumerProperties, new StringDeserializer(), deserializer)) {
            consumer = kafka;
            kafka.subscribe(List.of(Topics.SCHEDULE_TICKS.name()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                    drainFinished();
                    commit(kafka, revoked);
                    revoked.forEach(partitions::remove);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> lost) {
                    lost.forEach(partitions::remove);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                    generation++;
                    assigned.forEach(tp -> partitions.put(tp, new PartitionState(generation)));
                }
            });
            while (!stopping.get()) {
                try {
                    for (ConsumerRecord<String, DumpRequested> record : kafka.poll(Duration.ofMillis(200))) {
                        PartitionState state = partitions.get(new TopicPartition(record.topic(), record.partition()));
                        if (state != null) {
                            state.offsets.put(record.offset(), false);
                            state.waiting.put(record.offset(), record);
                        }
                    }
                } catch (RecordDeserializationException e) {
                    deadLetter(e);
                    kafka.seek(e.topicPartition(), e.offset() + 1);
                }
                drainFinished();
                startWhatCan();
                commit(kafka, partitions.keySet());
                pauseOrResume(kafka);
                renewLeases();
            }
        } catch (WakeupException e) {
            if (!stopping.get()) {
                throw e;
            }
        } finally {
            consumer = null;
        }
    }

    private void startWhatCan() {
        Instant now = Instant.ofEpochMilli(clock.millis());
        for (Map.Entry<TopicPartition, PartitionState> entry : partitions.entrySet()) {
            PartitionState state = entry.getValue();
            Iterator<ConsumerRecord<String, DumpRequested>> waiting = state.waiting.values().iterator();
            while (waiting.hasNext()) {
                ConsumerRecord<String, DumpRequested> record = waiting.next();
                DumpRequested tick = record.value();
                if (tick == null || !properties.workerPool().equals(tick.getWorkerPool())) {
                    waiting.remove();
                    state.offsets.put(record.offset(), true);
                    continue;
                }
                if (tick.getNotBefore() != null && tick.getNotBefore().isAfter(now)) {
                    continue;
                }
                if (running.size() >= properties.maxConcurrentDumps()) {
                    return;
                }
                if (!servers.isLoaded() || running.contains(tick.getDumpId())) {
                    continue;
                }
                Optional<ServerConfig> server = servers.get(tick.getServerId());
                if (server.isEmpty() || !server.get().getAllowDumps()) {
                    waiting.remove();
                    submit(entry.getKey(), state, record, List.of(), () -> refused(tick, server.isEmpty()
                            ? "server '" + tick.getServerId() + "' is not configured"
                            : "server '" + server.get().getName() + "' does not allow dumps"));
                    continue;
                }
                Optional<List<Lease>> leases = takeLeases(tick, server.get());
                if (leases.isEmpty()) {
                    continue;
                }
                waiting.remove();
                ServerConfig config = server.get();
                submit(entry.getKey(), state, record, leases.get(), () -> executor.run(tick, config));
            }
        }
    }

    /** The dump's lease and a free slot of its server, or nothing (and nothing held) if either is taken. */
    private Optional<List<Lease>> takeLeases(DumpRequested tick, ServerConfig server) {
        String owner = properties.instanceId();
        Optional<Lease> dump = repository.tryLease("dumps/" + tick.getDumpId(), owner, properties.leaseStaleAfter());
        if (dump.isEmpty()) {
            return Optional.empty();
        }
        for (int slot = 1; slot <= Math.max(1, server.getMaxConcurrentDumps()); slot++) {
            Optional<Lease> taken = repository.tryLease("servers/" + server.getServerId() + "/slot-" + slot, owner,
                    properties.leaseStaleAfter());
            if (taken.isPresent()) {
                return Optional.of(List.of(dump.get(), taken.get()));
            }
        }
        dump.get().close();
        return Optional.empty();
    }

    private void submit(TopicPartition partition, PartitionState state, ConsumerRecord<String, DumpRequested> record,
            List<Lease> leases, Supplier<DumpCompleted> work) {
        DumpRequested tick = record.value();
        running.add(tick.getDumpId());
        heldLeases.addAll(leases);
        workers.submit(() -> {
            try {
                DumpCompleted completed = work.get();
                producer.send(new ProducerRecord<>(Topics.DUMP_COMPLETED.name(), completed.getDumpJobId(), completed)).get();
                finished.add(new Done(partition, record, state.generation, true));
            } catch (Exception e) {
                // Not acknowledged: the offset stays and the tick is taken again (a dump that completed is not
                // redone: the repository answers it).
                log.error("outcome of {} not published, will retry: {}", tick.getDumpId(), e.getMessage());
                finished.add(new Done(partition, record, state.generation, false));
            } finally {
                leases.forEach(lease -> {
                    heldLeases.remove(lease);
                    lease.close();
                });
                running.remove(tick.getDumpId());
            }
        });
    }

    private DumpCompleted refused(DumpRequested tick, String reason) {
        log.warn("tick {} refused: {}", tick.getDumpId(), reason);
        Instant now = Instant.ofEpochMilli(clock.millis());
        return DumpCompleted.newBuilder()
                .setHeader(EventHeaders.following(tick.getHeader(), "dump-worker/" + properties.instanceId(), clock))
                .setDumpId(tick.getDumpId())
                .setDumpJobId(tick.getDumpJobId())
                .setServerId(tick.getServerId())
                .setSpec(tick.getSpec())
                .setOutcome(Outcome.FAILED)
                .setTrigger(tick.getTrigger())
                .setScheduledAt(tick.getScheduledAt())
                .setStartedAt(now)
                .setFinishedAt(now)
                .setVerification(VerificationStatus.NOT_VERIFIED)
                .setFailure(Failure.newBuilder().setReason(reason).setCode("SERVER_UNAVAILABLE").setRetriable(false).build())
                .setWorkerId(properties.instanceId())
                .build();
    }

    private void drainFinished() {
        Done done;
        while ((done = finished.poll()) != null) {
            PartitionState state = partitions.get(done.partition());
            if (state == null || state.generation != done.generation()) {
                continue; // revoked meanwhile: the new owner takes the record again and finds the dump complete
            }
            if (done.published()) {
                state.offsets.put(done.record().offset(), true);
            } else {
                state.waiting.put(done.record().offset(), done.record());
            }
        }
    }

    private void commit(KafkaConsumer<String, DumpRequested> kafka, Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (TopicPartition tp : which) {
            PartitionState state = partitions.get(tp);
            if (state == null) {
                continue;
            }
            Long next = null;
            while (!state.offsets.isEmpty() && state.offsets.firstEntry().getValue()) {
                next = state.offsets.pollFirstEntry().getKey() + 1;
            }
            if (next != null && next > state.committed) {
                state.committed = next;
                commits.put(tp, new OffsetAndMetadata(next));
            }
        }
        if (!commits.isEmpty()) {
            kafka.commitSync(commits);
        }
    }

    private void pauseOrResume(KafkaConsumer<String, DumpRequested> kafka) {
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        partitions.forEach((tp, state) -> (state.waiting.isEmpty() ? resume : pause).add(tp));
        kafka.pause(pause);
        kafka.resume(resume);
    }

    private void renewLeases() {
        Instant now = Instant.now();
        if (now.isBefore(lastRenewal.plus(properties.leaseStaleAfter().dividedBy(4)))) {
            return;
        }
        lastRenewal = now;
        for (Lease lease : heldLeases) {
            try {
                lease.renew();
            } catch (RuntimeException e) {
                log.error("lost lease {}: {}", lease.name(), e.getMessage());
            }
        }
    }

    private void deadLetter(RecordDeserializationException e) {
        String topic = Topics.SCHEDULE_TICKS.deadLetterTopic();
        log.error("tick at {}@{} cannot be read, sent to {}: {}", e.topicPartition(), e.offset(), topic,
                e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null,
                e.keyBuffer() == null ? null : bytes(e.keyBuffer()), e.valueBuffer() == null ? null : bytes(e.valueBuffer()));
        Throwable cause = e.getCause() == null ? e : e.getCause();
        record.headers().add(new RecordHeader("pgsnapman-dlt-exception", utf8(cause.getClass().getName())));
        record.headers().add(new RecordHeader("pgsnapman-dlt-message", utf8(String.valueOf(cause.getMessage()))));
        record.headers().add(new RecordHeader("pgsnapman-dlt-original-topic", utf8(e.topicPartition().topic())));
        record.headers().add(new RecordHeader("pgsnapman-dlt-original-partition", utf8(Integer.toString(e.topicPartition().partition()))));
        record.headers().add(new RecordHeader("pgsnapman-dlt-original-offset", utf8(Long.toString(e.offset()))));
        try {
            deadLetters.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception sendFailed) {
            throw new IllegalStateException("cannot write to " + topic + ": " + sendFailed.getMessage(), sendFailed);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopping.set(true);
        KafkaConsumer<String, DumpRequested> current = consumer;
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
        executor.close();
        deadLetters.close(Duration.ofSeconds(5));
    }
}
