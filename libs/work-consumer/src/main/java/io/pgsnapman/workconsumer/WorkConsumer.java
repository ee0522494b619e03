package io.pgsnapman.workconsumer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes work items that may run for hours (dump ticks, restore requests) while the consumer keeps
 * polling, so the group never times it out. Records run on a pool of {@code maxConcurrent} threads and
 * may finish in any order; a partition's committed offset only moves past a record once its work said
 * it is done. Records with the same {@linkplain Dispatcher#exclusiveKey exclusive key} run one at a time,
 * in offset order, whatever their partition. A partition with records waiting is paused. A record that
 * cannot be decoded goes to the dead-letter topic with the error in its headers.
 *
 * <p>Limits: one consumer (and thread) per instance; work still running when its partition is revoked
 * finishes, but its record is taken again by the new owner, so work must be idempotent.
 *
 * @param <V> the record value type
 */
public final class WorkConsumer<V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkConsumer.class);

    /** The headers a dead-lettered record carries. */
    public static final String DLT_EXCEPTION = "pgsnapman-dlt-exception";
    public static final String DLT_MESSAGE = "pgsnapman-dlt-message";

    /** What to do with a waiting record now. */
    public enum Triage {
        /** Not this consumer's: counts as done. */
        SKIP,
        /** Not yet (its time has not come, a cache is loading): looked at again after the next poll. */
        WAIT,
        /** Start it as soon as there is capacity. */
        READY
    }

    /** A unit of work; answers {@code true} when done, {@code false} to be taken again after the retry delay. */
    @FunctionalInterface
    public interface Work {
        boolean run() throws Exception;
    }

    /** Decides, per record, whether and how it runs. Called on the consumer thread only. */
    public interface Dispatcher<V> {

        /** Records with the same key never run at the same time; {@code null}: no such constraint. */
        String exclusiveKey(ConsumerRecord<String, V> record);

        /** A cheap look at a waiting record. */
        Triage triage(ConsumerRecord<String, V> record);

        /** The work of a READY record when there is capacity, or empty when it cannot start yet (e.g. a lease is taken). */
        Optional<Work> start(ConsumerRecord<String, V> record);
    }

    /**
     * @param topic         topic consumed
     * @param maxConcurrent records running at once on this consumer
     * @param retryDelay    pause before a record whose work failed or answered {@code false} is taken again
     */
    public record Settings(String topic, int maxConcurrent, Duration retryDelay) {
        public Settings {
            if (maxConcurrent < 1) {
                throw new IllegalArgumentException("maxConcurrent must be at least 1");
            }
        }
    }

    private record Done(TopicPartition partition, ConsumerRecord<?, ?> record, String key, int generation, boolean done) {}

    /** The records of one partition between the committed offset and what was fetched. */
    private static final class PartitionState<V> {
        final int generation;
        final TreeMap<Long, Boolean> offsets = new TreeMap<>();
        final TreeMap<Long, ConsumerRecord<String, V>> waiting = new TreeMap<>();
        long committed = -1;

        PartitionState(int generation) {
            this.generation = generation;
        }
    }

    private final Supplier<Consumer<String, V>> consumers;
    private final Producer<byte[], byte[]> deadLetters;
    private final String deadLetterTopic;
    private final Settings settings;
    private final Dispatcher<V> dispatcher;
    private final Runnable afterEachPoll;
    private final ExecutorService workers;
    private final Map<TopicPartition, PartitionState<V>> partitions = new HashMap<>();
    private final Set<String> runningKeys = new HashSet<>();
    private final AtomicInteger running = new AtomicInteger();
    private final ConcurrentLinkedQueue<Done> finished = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile Consumer<String, V> consumer;
    private int generation;
    private Thread thread;

    /**
     * @param consumers       makes a consumer (group id set, auto-commit off) — a new one after a failure
     * @param deadLetters     producer for records that cannot be decoded
     * @param deadLetterTopic where they go
     * @param afterEachPoll   called on the consumer thread after every poll (e.g. to renew leases)
     */
    public WorkConsumer(Supplier<Consumer<String, V>> consumers, Producer<byte[], byte[]> deadLetters,
            String deadLetterTopic, Settings settings, Dispatcher<V> dispatcher, Runnable afterEachPoll) {
        this.consumers = consumers;
        this.deadLetters = deadLetters;
        this.deadLetterTopic = deadLetterTopic;
        this.settings = settings;
        this.dispatcher = dispatcher;
        this.afterEachPoll = afterEachPoll;
        this.workers = Executors.newFixedThreadPool(settings.maxConcurrent(), r -> {
            Thread t = new Thread(r, settings.topic() + "-work");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the consumer thread. */
    public void start() {
        thread = new Thread(this::loop, settings.topic() + "-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Records running now. */
    public int runningCount() {
        return running.get();
    }

    private void loop() {
        while (!stopping.get()) {
            try {
                consume();
            } catch (RuntimeException e) {
                if (stopping.get()) {
                    return;
                }
                log.error("consumer of {} failed, rejoining in 2 s: {}", settings.topic(), e.getMessage(), e);
                sleep(Duration.ofSeconds(2));
            }
        }
    }

    private void consume() {
        try (Consumer<String, V> kafka = consumers.get()) {
            consumer = kafka;
            kafka.subscribe(List.of(settings.topic()), new ConsumerRebalanceListener() {
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
                    assigned.forEach(tp -> partitions.put(tp, new PartitionState<>(generation)));
                }
            });
            while (!stopping.get()) {
                pollOnce(kafka);
            }
        } catch (WakeupException e) {
            if (!stopping.get()) {
                throw e;
            }
        } finally {
            consumer = null;
        }
    }

    /** One round: poll, take finished work, start what can start, commit, pause or resume. */
    void pollOnce(Consumer<String, V> kafka) {
        try {
            for (ConsumerRecord<String, V> record : kafka.poll(Duration.ofMillis(200))) {
                PartitionState<V> state = partitions.get(new TopicPartition(record.topic(), record.partition()));
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
        afterEachPoll.run();
    }

    private void startWhatCan() {
        Set<String> blocked = new HashSet<>(runningKeys);
        for (Map.Entry<TopicPartition, PartitionState<V>> entry : partitions.entrySet()) {
            PartitionState<V> state = entry.getValue();
            Iterator<ConsumerRecord<String, V>> waiting = state.waiting.values().iterator();
            while (waiting.hasNext()) {
                ConsumerRecord<String, V> record = waiting.next();
                String key = dispatcher.exclusiveKey(record);
                if (key != null && blocked.contains(key)) {
                    continue;
                }
                Triage triage = dispatcher.triage(record);
                if (triage == Triage.SKIP) {
                    waiting.remove();
                    state.offsets.put(record.offset(), true);
                    continue;
                }
                if (key != null) {
                    blocked.add(key); // a later record of the same key waits for this one
                }
                if (triage == Triage.WAIT || running.get() >= settings.maxConcurrent()) {
                    continue;
                }
                Optional<Work> work = dispatcher.start(record);
                if (work.isEmpty()) {
                    continue;
                }
                waiting.remove();
                submit(entry.getKey(), state.generation, record, key, work.get());
            }
        }
    }

    private void submit(TopicPartition partition, int generation, ConsumerRecord<String, V> record, String key, Work work) {
        running.incrementAndGet();
        if (key != null) {
            runningKeys.add(key);
        }
        workers.submit(() -> {
            boolean done = false;
            try {
                done = work.run();
            } catch (Exception e) {
                log.error("work of {}@{} failed, will retry: {}", partition, record.offset(), e.getMessage(), e);
            } finally {
                if (!done) {
                    sleep(settings.retryDelay());
                }
                finished.add(new Done(partition, record, key, generation, done));
            }
        });
    }

    @SuppressWarnings("unchecked")
    private void drainFinished() {
        Done done;
        while ((done = finished.poll()) != null) {
            running.decrementAndGet();
            if (done.key() != null) {
                runningKeys.remove(done.key());
            }
            PartitionState<V> state = partitions.get(done.partition());
            if (state == null || state.generation != done.generation()) {
                continue; // revoked meanwhile: the new owner takes the record again
            }
            if (done.done()) {
                state.offsets.put(done.record().offset(), true);
            } else {
                state.waiting.put(done.record().offset(), (ConsumerRecord<String, V>) done.record());
            }
        }
    }

    private void commit(Consumer<String, V> kafka, Collection<TopicPartition> which) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (TopicPartition tp : which) {
            PartitionState<V> state = partitions.get(tp);
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

    private void pauseOrResume(Consumer<String, V> kafka) {
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        partitions.forEach((tp, state) -> (state.waiting.isEmpty() ? resume : pause).add(tp));
        kafka.pause(pause);
        kafka.resume(resume);
    }

    private void deadLetter(RecordDeserializationException e) {
        log.error("record at {}@{} cannot be read, sent to {}: {}", e.topicPartition(), e.offset(), deadLetterTopic,
                e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(deadLetterTopic, null,
                e.keyBuffer() == null ? null : bytes(e.keyBuffer()), e.valueBuffer() == null ? null : bytes(e.valueBuffer()));
        Throwable cause = e.getCause() == null ? e : e.getCause();
        record.headers().add(new RecordHeader(DLT_EXCEPTION, utf8(cause.getClass().getName())));
        record.headers().add(new RecordHeader(DLT_MESSAGE, utf8(String.valueOf(cause.getMessage()))));
        record.headers().add(new RecordHeader("pgsnapman-dlt-original-topic", utf8(e.topicPartition().topic())));
        record.headers().add(new RecordHeader("pgsnapman-dlt-original-partition", utf8(Integer.toString(e.topicPartition().partition()))));
        record.headers().add(new RecordHeader("pgsnapman-dlt-original-offset", utf8(Long.toString(e.offset()))));
        try {
            deadLetters.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception sendFailed) {
            throw new IllegalStateException("cannot write to " + deadLetterTopic + ": " + sendFailed.getMessage(), sendFailed);
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

    /** Stops polling, interrupts running work and closes the dead-letter producer. */
    @Override
    public void close() {
        stopping.set(true);
        Consumer<String, V> current = consumer;
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
        deadLetters.close(Duration.ofSeconds(5));
    }
}
