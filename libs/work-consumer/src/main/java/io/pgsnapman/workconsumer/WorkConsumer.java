package io.pgsnapman.workconsumer;

import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.deadletters.Failures;
import io.pgsnapman.deadletters.RecordDecoder;
import io.pgsnapman.deadletters.Stage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes work items that may run for hours (dump ticks, restore requests) while the consumer keeps
 * polling, so the group never times it out. Records run on a pool of {@code maxConcurrent} threads and
 * may finish in any order; a partition's committed offset only moves past a record once its work said
 * it is done or the record was dead-lettered. Records with the same {@linkplain Dispatcher#exclusiveKey
 * exclusive key} run one at a time, in offset order, whatever their partition. A record that waits (for
 * capacity, for its time, or for a retry) never holds back the records behind it: polling goes on until a
 * partition holds {@value #MAX_WAITING_PER_PARTITION} waiting records, then that partition is paused until
 * some of them start.
 *
 * <p>No record can stall it: values are decoded here, record by record, so a record that cannot be read
 * goes to the dead-letter topic (stage DECODE) and the next one is read; a record whose work cannot start
 * is dead-lettered at START; work that fails is tried again as the {@link FailurePolicy} says (capped
 * exponential backoff with jitter, never on a worker thread's sleep) and then dead-lettered at RUN, or
 * PUBLISH when it says so with a {@link StageFailure}. Failures that pass by themselves (the registry
 * unreachable) are retried and never dead-lettered.
 *
 * <p>Limits: one consumer (and thread) per instance; work still running when its partition is revoked
 * finishes, but its record is taken again by the new owner, so work must be idempotent.
 *
 * @param <V> the record value type
 */
public final class WorkConsumer<V> implements AutoCloseable {

    /** Records a partition may hold waiting before it is paused (they are small: ticks and requests). */
    public static final int MAX_WAITING_PER_PARTITION = 1000;

    private static final Logger log = LoggerFactory.getLogger(WorkConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    /** What to do with a waiting record now. */
    public enum Triage {
        /** Not this consumer's: counts as done. */
        SKIP,
        /** Not yet (its time has not come, a cache is loading): looked at again after the next poll. */
        WAIT,
        /** Start it as soon as there is capacity. */
        READY
    }

    /** How a work item ended without an exception. */
    public enum Result {
        /** Finished: its outcome is published; the record is done. */
        DONE,
        /** Given up without an outcome (e.g. its lease was taken over): taken again later, not counted as a failure. */
        ABANDONED
    }

    /** A unit of work. An exception is a failure, handled by the {@link FailurePolicy}. */
    @FunctionalInterface
    public interface Work {
        Result run() throws Exception;
    }

    /** A failure that names the stage it happened at (e.g. {@link Stage#PUBLISH}); others count as RUN. */
    public static final class StageFailure extends Exception {
        private final Stage stage;

        public StageFailure(Stage stage, Throwable cause) {
            super(stage + " failed: " + cause.getMessage(), cause);
            this.stage = stage;
        }

        public Stage stage() {
            return stage;
        }
    }

    /** Decides, per record, whether and how it runs. Called on the consumer thread only. */
    public interface Dispatcher<V> {

        /** Records with the same key never run at the same time; {@code null}: no such constraint. */
        String exclusiveKey(ConsumerRecord<String, V> record);

        /** A cheap look at a waiting record. */
        Triage triage(ConsumerRecord<String, V> record);

        /**
         * The work of a READY record when there is capacity, or empty when it cannot start yet (e.g. a lease is
         * taken). An exception dead-letters the record at {@link Stage#START}.
         */
        Optional<Work> start(ConsumerRecord<String, V> record);
    }

    /**
     * @param topic         topic consumed
     * @param maxConcurrent records running at once on this consumer
     * @param failures      what happens to a record whose work fails
     */
    public record Settings(String topic, int maxConcurrent, FailurePolicy failures) {
        public Settings {
            if (maxConcurrent < 1) {
                throw new IllegalArgumentException("maxConcurrent must be at least 1");
            }
        }
    }

    private record Done(TopicPartition partition, Pending<?> pending, String key, int generation, Result result, Exception error) {}

    /** A record between fetch and done: its raw bytes, its value once decoded, its failures so far. */
    private static final class Pending<V> {
        final ConsumerRecord<String, byte[]> raw;
        ConsumerRecord<String, V> decoded;
        int failures;
        Instant firstFailure;
        Instant notBefore = Instant.MIN;

        Pending(ConsumerRecord<String, byte[]> raw) {
            this.raw = raw;
        }
    }

    /** The records of one partition between the committed offset and what was fetched. */
    private static final class PartitionState<V> {
        final int generation;
        final TreeMap<Long, Boolean> offsets = new TreeMap<>();
        final TreeMap<Long, Pending<V>> waiting = new TreeMap<>();
        long committed = -1;

        PartitionState(int generation) {
            this.generation = generation;
        }
    }

    private final Supplier<Consumer<String, byte[]>> consumers;
    private final RecordDecoder<V> decoder;
    private final DeadLetters deadLetters;
    private final Settings settings;
    private final Dispatcher<V> dispatcher;
    private final Clock clock;
    private final RandomGenerator random;
    private final ExecutorService workers;
    private final Map<TopicPartition, PartitionState<V>> partitions = new HashMap<>();
    private final Set<String> runningKeys = new HashSet<>();
    private final AtomicInteger running = new AtomicInteger();
    private final ConcurrentLinkedQueue<Done> finished = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Semaphore workEnded = new Semaphore(0);
    private final Duration idleWait;
    private volatile Consumer<String, byte[]> consumer;
    private int generation;
    private Thread thread;

    /**
     * @param consumers     makes a consumer of raw values (group id set, auto-commit off) — a new one after a failure
     * @param values        decodes a record's value
     * @param deadLetters   where records that are given up go
     */
    public WorkConsumer(Supplier<Consumer<String, byte[]>> consumers, Deserializer<V> values, DeadLetters deadLetters,
            Settings settings, Dispatcher<V> dispatcher) {
        this(consumers, values, deadLetters, settings, dispatcher, Clock.systemUTC(), RandomGenerator.getDefault(),
                Executors.newFixedThreadPool(settings.maxConcurrent(), r -> {
                    Thread t = new Thread(r, settings.topic() + "-work");
                    t.setDaemon(true);
                    return t;
                }), POLL_TIMEOUT);
    }

    /**
     * With the clock, the jitter's randomness, the threads and the idle wait given: tests drive it synchronously
     * ({@code idleWait} zero: a round never waits for work to end).
     */
    WorkConsumer(Supplier<Consumer<String, byte[]>> consumers, Deserializer<V> values, DeadLetters deadLetters,
            Settings settings, Dispatcher<V> dispatcher, Clock clock, RandomGenerator random,
            ExecutorService workers, Duration idleWait) {
        this.idleWait = idleWait;
        this.consumers = consumers;
        this.decoder = new RecordDecoder<>(values, deadLetters);
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.random = random;
        this.workers = workers;
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
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void consume() {
        try (Consumer<String, byte[]> kafka = consumers.get()) {
            consumer = kafka;
            subscribe(kafka);
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

    /** Subscribes with the listener that keeps the partition states in step with the assignment. */
    void subscribe(Consumer<String, byte[]> kafka) {
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
    }

    /**
     * One round: poll, take finished work, start what can start, commit, pause or resume. While work runs or
     * records wait, it polls without blocking and waits instead for work to finish (up to {@code idleWait}),
     * so the next record of a busy key starts as soon as the one before it ends, not at the next poll timeout.
     */
    void pollOnce(Consumer<String, byte[]> kafka) {
        boolean busy = running.get() > 0 || partitions.values().stream().anyMatch(s -> !s.waiting.isEmpty());
        ConsumerRecords<String, byte[]> records = kafka.poll(busy ? Duration.ZERO : POLL_TIMEOUT);
        for (ConsumerRecord<String, byte[]> record : records) {
            PartitionState<V> state = partitions.get(new TopicPartition(record.topic(), record.partition()));
            if (state != null) {
                state.offsets.put(record.offset(), false);
                state.waiting.put(record.offset(), new Pending<>(record));
            }
        }
        if (busy && records.isEmpty() && finished.isEmpty() && !idleWait.isZero()) {
            try {
                workEnded.tryAcquire(idleWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workEnded.drainPermits();
        drainFinished();
        startWhatCan();
        commit(kafka, partitions.keySet());
        pauseOrResume(kafka);
    }

    private void startWhatCan() {
        Instant now = clock.instant();
        Set<String> blocked = new HashSet<>(runningKeys);
        for (Map.Entry<TopicPartition, PartitionState<V>> entry : partitions.entrySet()) {
            PartitionState<V> state = entry.getValue();
            Iterator<Pending<V>> waiting = state.waiting.values().iterator();
            while (waiting.hasNext()) {
                Pending<V> pending = waiting.next();
                if (pending.decoded == null) {
                    Decoding decoding = decode(pending, now);
                    if (decoding == Decoding.DEAD_LETTERED) {
                        waiting.remove();
                        state.offsets.put(pending.raw.offset(), true);
                    }
                    if (decoding != Decoding.READ) {
                        continue;
                    }
                }
                ConsumerRecord<String, V> record = pending.decoded;
                String key;
                Triage triage;
                try {
                    key = dispatcher.exclusiveKey(record);
                    if (key != null && blocked.contains(key)) {
                        continue;
                    }
                    triage = dispatcher.triage(record);
                } catch (RuntimeException e) {
                    giveUp(state, waiting, pending, Stage.START, e);
                    continue;
                }
                if (triage == Triage.SKIP) {
                    waiting.remove();
                    state.offsets.put(record.offset(), true);
                    continue;
                }
                if (key != null) {
                    blocked.add(key); // a later record of the same key waits for this one
                }
                if (triage == Triage.WAIT || pending.notBefore.isAfter(now) || running.get() >= settings.maxConcurrent()) {
                    continue;
                }
                Optional<Work> work;
                try {
                    work = dispatcher.start(record);
                } catch (RuntimeException e) {
                    giveUp(state, waiting, pending, Stage.START, e);
                    continue;
                }
                if (work.isEmpty()) {
                    continue;
                }
                waiting.remove();
                submit(entry.getKey(), state.generation, pending, key, work.get());
            }
        }
    }

    private enum Decoding { READ, LATER, DEAD_LETTERED }

    /**
     * Decodes a waiting record's value: READ, or LATER after a passing failure (tried again after a backoff) or
     * while the dead-letter topic does not take it, or DEAD_LETTERED after a lasting failure.
     */
    private Decoding decode(Pending<V> pending, Instant now) {
        if (pending.notBefore.isAfter(now)) {
            return Decoding.LATER;
        }
        ConsumerRecord<String, byte[]> raw = pending.raw;
        RecordDecoder.Result<V> result = decoder.decode(raw);
        if (result instanceof RecordDecoder.Result.Read<V> read) {
            pending.decoded = new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(), raw.timestamp(),
                    raw.timestampType(), raw.serializedKeySize(), raw.serializedValueSize(), raw.key(), read.value(),
                    raw.headers(), raw.leaderEpoch());
            pending.failures = 0;
            pending.notBefore = Instant.MIN;
            return Decoding.READ;
        }
        if (result instanceof RecordDecoder.Result.DeadLettered<V>) {
            return Decoding.DEAD_LETTERED;
        }
        pending.failures++;
        pending.notBefore = now.plus(settings.failures().backoff(pending.failures));
        return Decoding.LATER;
    }

    /** Dead-letters a waiting record and marks it done; if the dead-letter topic does not take it, it stays and waits. */
    private void giveUp(PartitionState<V> state, Iterator<Pending<V>> waiting, Pending<V> pending, Stage stage, Exception error) {
        if (deadLetter(pending, stage, error, clock.instant())) {
            waiting.remove();
            state.offsets.put(pending.raw.offset(), true);
        }
    }

    private boolean deadLetter(Pending<V> pending, Stage stage, Exception error, Instant now) {
        try {
            deadLetters.send(stage, pending.raw, error);
            return true;
        } catch (RuntimeException sendFailed) {
            pending.failures++;
            pending.notBefore = now.plus(settings.failures().backoff(pending.failures));
            log.error("cannot dead-letter {}-{}@{}, trying again at {}: {}", pending.raw.topic(), pending.raw.partition(),
                    pending.raw.offset(), pending.notBefore, sendFailed.getMessage());
            return false;
        }
    }

    private void submit(TopicPartition partition, int generation, Pending<V> pending, String key, Work work) {
        running.incrementAndGet();
        if (key != null) {
            runningKeys.add(key);
        }
        workers.submit(() -> {
            Result result = null;
            Exception error = null;
            try {
                result = work.run();
            } catch (Exception e) {
                error = e;
            } finally {
                finished.add(new Done(partition, pending, key, generation, result, error));
                workEnded.release();
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
            Pending<V> pending = (Pending<V>) done.pending();
            long offset = pending.raw.offset();
            Instant now = clock.instant();
            if (done.result() == Result.DONE) {
                state.offsets.put(offset, true);
            } else if (done.result() == Result.ABANDONED) {
                pending.notBefore = now.plus(settings.failures().initialBackoff());
                state.waiting.put(offset, pending);
            } else {
                failed(state, pending, done.error(), now);
            }
        }
    }

    /** Work that threw: tried again after a backoff while the policy allows, else dead-lettered. */
    private void failed(PartitionState<V> state, Pending<V> pending, Exception error, Instant now) {
        pending.failures++;
        if (pending.firstFailure == null) {
            pending.firstFailure = now;
        }
        Stage stage = error instanceof StageFailure failure ? failure.stage() : Stage.RUN;
        Optional<Duration> wait = settings.failures().retryAfter(pending.failures, Duration.between(pending.firstFailure, now), random);
        ConsumerRecord<String, byte[]> raw = pending.raw;
        if (wait.isPresent()) {
            pending.notBefore = now.plus(wait.get());
            log.warn("work of {}-{}@{} failed (failure {}), trying again at {}: {}", raw.topic(), raw.partition(),
                    raw.offset(), pending.failures, pending.notBefore, Failures.describe(error), error);
            state.waiting.put(raw.offset(), pending);
        } else if (deadLetter(pending, stage, error, now)) {
            state.offsets.put(raw.offset(), true);
        } else {
            state.waiting.put(raw.offset(), pending);
        }
    }

    private void commit(Consumer<String, byte[]> kafka, Collection<TopicPartition> which) {
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

    private void pauseOrResume(Consumer<String, byte[]> kafka) {
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        partitions.forEach((tp, state) -> (state.waiting.size() < MAX_WAITING_PER_PARTITION ? resume : pause).add(tp));
        kafka.pause(pause);
        kafka.resume(resume);
    }

    /** Stops polling and interrupts running work; the dead letters stay open (their owner closes them). */
    @Override
    public void close() {
        stopping.set(true);
        Consumer<String, byte[]> current = consumer;
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
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }

    }
}
