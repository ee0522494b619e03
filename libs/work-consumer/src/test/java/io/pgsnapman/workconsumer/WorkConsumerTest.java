package io.pgsnapman.workconsumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.deadletters.DeadLetterHeaders;
import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.deadletters.Stage;
import io.pgsnapman.registry.client.RegistryUnreachableException;
import io.pgsnapman.testsupport.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/**
 * The consumer loop driven by hand: a {@link MockConsumer}, a clock the test moves, and work that runs only
 * when the test says so. Nothing sleeps; "not yet" is one more poll that starts nothing.
 */
class WorkConsumerTest {

    private static final String TOPIC = "work";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final FailurePolicy THREE_TRIES =
            new FailurePolicy(3, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(4), 0);

    private final MockConsumer<String, byte[]> kafka = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
    private final MockProducer<byte[], byte[]> dlt =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
    private final ManualExecutor workers = new ManualExecutor();
    private final List<String> started = new ArrayList<>();
    /** What each named work item does on its next runs; none left: DONE. */
    private final Map<String, Deque<Object>> behaviour = new HashMap<>();
    /** Values whose decoding fails for a passing reason this many more times. */
    private final Map<String, Integer> registryDownFor = new HashMap<>();
    private WorkConsumer<String> consumer;

    /**
     * Values look like "key:name"; "other-pool:…" is skipped, "later:…" waits, "!…" is not a record, "boom:…"
     * cannot start.
     */
    private final WorkConsumer.Dispatcher<String> dispatcher = new WorkConsumer.Dispatcher<>() {
        @Override
        public String exclusiveKey(ConsumerRecord<String, String> record) {
            return record.value().split(":")[0];
        }

        @Override
        public WorkConsumer.Triage triage(ConsumerRecord<String, String> record) {
            return switch (exclusiveKey(record)) {
                case "other-pool" -> WorkConsumer.Triage.SKIP;
                case "later" -> WorkConsumer.Triage.WAIT;
                default -> WorkConsumer.Triage.READY;
            };
        }

        @Override
        public Optional<WorkConsumer.Work> start(ConsumerRecord<String, String> record) {
            if (exclusiveKey(record).equals("boom")) {
                throw new IllegalStateException("cannot start " + record.value());
            }
            String name = record.value().split(":")[1];
            return Optional.of(() -> {
                started.add(name);
                Object next = behaviour.getOrDefault(name, new ArrayDeque<>()).poll();
                if (next instanceof Exception e) {
                    throw e;
                }
                return next == null ? WorkConsumer.Result.DONE : (WorkConsumer.Result) next;
            });
        }
    };

    private final Deserializer<String> values = new Deserializer<>() {
        @Override
        public String deserialize(String topic, byte[] data) {
            return deserialize(topic, null, data);
        }

        @Override
        public String deserialize(String topic, Headers headers, byte[] data) {
            String text = new String(data, StandardCharsets.UTF_8);
            if (text.startsWith("!")) {
                throw new SerializationException("not in the wire format");
            }
            int down = registryDownFor.getOrDefault(text, 0);
            if (down > 0) {
                registryDownFor.put(text, down - 1);
                throw new SerializationException("cannot read",
                        new RegistryUnreachableException(List.of("http://registry"), new IOException("refused")));
            }
            return text;
        }
    };

    private void given(FailurePolicy policy, int maxConcurrent, String... records) {
        kafka.schedulePollTask(() -> {
            kafka.rebalance(List.of(P0));
            kafka.updateBeginningOffsets(Map.of(P0, 0L));
            for (int i = 0; i < records.length; i++) {
                kafka.addRecord(new ConsumerRecord<>(TOPIC, 0, i, "k" + i, records[i].getBytes(StandardCharsets.UTF_8)));
            }
        });
        consumer = new WorkConsumer<>(() -> kafka, values, new DeadLetters(dlt, "test-consumer"),
                new WorkConsumer.Settings(TOPIC, maxConcurrent, policy), dispatcher, clock,
                RandomGenerator.getDefault(), workers, Duration.ZERO);
        consumer.subscribe(kafka);
    }

    private void poll() {
        consumer.pollOnce(kafka);
    }

    private Long committed() {
        OffsetAndMetadata offset = kafka.committed(Set.of(P0)).get(P0);
        return offset == null ? null : offset.offset();
    }

    private List<String> deadLetterStages() {
        return dlt.history().stream().map(r -> DeadLetterHeaders.stage(r.headers()).orElseThrow().name()).toList();
    }

    @Test
    void recordsWithDifferentKeysInOnePartitionRunAtTheSameTime() {
        // Given two requests for two targets on the same partition
        given(FailurePolicy.DEFAULT, 4, "target-a:first", "target-b:second");

        // When polled once
        poll();

        // Then both were handed to the workers at once
        assertThat(workers.queued()).isEqualTo(2);
        assertThat(consumer.runningCount()).isEqualTo(2);
    }

    @Test
    void aRecordWaitingForItsTimeDoesNotHoldBackTheRecordsPublishedAfterIt() {
        // Given a record that waits (a tick for later in its backup window), read and triaged
        given(FailurePolicy.DEFAULT, 4, "later:window");
        poll();
        assertThat(workers.queued()).isZero();

        // When a record behind it on the same partition arrives, and the consumer polls
        kafka.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, "k1", "now:behind".getBytes(StandardCharsets.UTF_8)));
        poll();

        // Then that one is read and started, and the partition stays unpaused; nothing is committed past the waiting one
        workers.runAll();
        assertThat(started).containsExactly("behind");
        assertThat(kafka.paused()).isEmpty();
        assertThat(committed()).isNull();
    }

    @Test
    void recordsWithTheSameKeyRunOneAfterTheOtherInOffsetOrder() {
        // Given two requests for the same target, the first running
        given(FailurePolicy.DEFAULT, 4, "target-a:first", "target-a:second");
        poll();
        poll();
        assertThat(workers.queued()).isEqualTo(1);

        // When the first finishes
        workers.runAll();
        poll();

        // Then the second starts, after it
        workers.runAll();
        assertThat(started).containsExactly("first", "second");
    }

    @Test
    void theCommittedOffsetWaitsForTheEarliestUnfinishedRecord() {
        // Given three records running at once
        given(FailurePolicy.DEFAULT, 4, "a:one", "b:two", "c:three");
        poll();

        // When the later two finish first
        workers.run(1);
        workers.run(1);
        poll();

        // Then nothing is committed until the first is done, and then all three are
        assertThat(started).containsExactly("two", "three");
        assertThat(committed()).isNull();
        workers.runAll();
        poll();
        assertThat(committed()).isEqualTo(3L);
    }

    @Test
    void noMoreThanMaxConcurrentRecordsRun() {
        // Given capacity for one
        given(FailurePolicy.DEFAULT, 1, "a:one", "b:two");
        poll();
        poll();

        // Then the second starts only when the first ended
        assertThat(workers.queued()).isEqualTo(1);
        workers.runAll();
        poll();
        workers.runAll();
        assertThat(started).containsExactly("one", "two");
    }

    @Test
    void skippedRecordsAreCommittedWithoutRunning() {
        given(FailurePolicy.DEFAULT, 2, "other-pool:x");

        poll();

        assertThat(committed()).isEqualTo(1L);
        assertThat(workers.queued()).isZero();
    }

    @Test
    void aRecordThatCannotBeReadIsDeadLetteredAndTheNextOneRuns() {
        // Given garbage between two good records
        given(FailurePolicy.DEFAULT, 4, "a:one", "!garbage", "b:two");

        // When polled and the work done
        poll();
        workers.runAll();
        poll();

        // Then the garbage is in the dead-letter topic, byte for byte, with stage and origin; all three are committed
        assertThat(started).containsExactly("one", "two");
        assertThat(committed()).isEqualTo(3L);
        ProducerRecord<byte[], byte[]> letter = dlt.history().get(0);
        assertThat(letter.topic()).isEqualTo("work-dlt");
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("!garbage");
        assertThat(DeadLetterHeaders.stage(letter.headers())).contains(Stage.DECODE);
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ORIGINAL_OFFSET)).contains("1");
        assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.MESSAGE)).contains("not in the wire format");
    }

    @Test
    void aRecordUnreadableWhileTheRegistryIsDownIsReadLaterNotDeadLettered() {
        // Given the registry unreachable for the first two reads of a record
        registryDownFor.put("a:one", 2);
        given(THREE_TRIES, 4, "a:one");

        // When polled, and polled again after each backoff
        poll();
        clock.advance(Duration.ofSeconds(1));
        poll();
        assertThat(workers.queued()).isZero();
        clock.advance(Duration.ofSeconds(2));
        poll();

        // Then it runs, and nothing was dead-lettered
        workers.runAll();
        poll();
        assertThat(started).containsExactly("one");
        assertThat(dlt.history()).isEmpty();
        assertThat(committed()).isEqualTo(1L);
    }

    @Test
    void failingWorkIsRetriedWithBackoffThenDeadLetteredAtRun() {
        // Given work that always fails, three attempts, backoff 1 s then 2 s
        behaviour.put("one", new ArrayDeque<>(List.of(new IllegalStateException("disk full"),
                new IllegalStateException("disk full"), new IllegalStateException("disk full"))));
        given(THREE_TRIES, 4, "a:one", "a:two");

        // When it fails the first time
        poll();
        workers.runAll();
        poll();

        // Then it is not tried again before its backoff, and the record behind it (same key) waits
        clock.advance(Duration.ofMillis(999));
        poll();
        assertThat(workers.queued()).isZero();
        clock.advance(Duration.ofMillis(1));
        poll();
        workers.runAll();
        poll();
        clock.advance(Duration.ofSeconds(2));
        poll();
        workers.runAll();
        poll();

        // And after the third failure it is dead-lettered at RUN, and the next record runs
        assertThat(started).containsExactly("one", "one", "one");
        assertThat(deadLetterStages()).containsExactly("RUN");
        assertThat(DeadLetterHeaders.text(dlt.history().get(0).headers(), DeadLetterHeaders.MESSAGE)).contains("disk full");
        workers.runAll();
        poll();
        assertThat(started).containsExactly("one", "one", "one", "two");
        assertThat(committed()).isEqualTo(2L);
    }

    @Test
    void failingWorkIsDeadLetteredOnceTheDeadlineWouldPass() {
        // Given a policy of many attempts but a 2.5 s deadline
        behaviour.put("one", new ArrayDeque<>(List.of(new IllegalStateException("a"), new IllegalStateException("b"),
                new IllegalStateException("c"))));
        given(new FailurePolicy(100, Duration.ofMillis(2500), Duration.ofSeconds(1), Duration.ofSeconds(10), 0), 1, "a:one");

        // When it fails at 0 s, is retried at 1 s, fails again (next wait 2 s would end at 3 s)
        poll();
        workers.runAll();
        poll();
        clock.advance(Duration.ofSeconds(1));
        poll();
        workers.runAll();
        poll();

        // Then it is dead-lettered without a third attempt
        assertThat(started).hasSize(2);
        assertThat(deadLetterStages()).containsExactly("RUN");
        assertThat(committed()).isEqualTo(1L);
    }

    @Test
    void workThatCannotStartIsDeadLetteredAtStartAndTheConsumerGoesOn() {
        given(FailurePolicy.DEFAULT, 4, "boom:x", "a:one");

        poll();
        workers.runAll();
        poll();

        assertThat(deadLetterStages()).containsExactly("START");
        assertThat(started).containsExactly("one");
        assertThat(committed()).isEqualTo(2L);
    }

    @Test
    void anOutcomeThatCannotBePublishedIsDeadLetteredAtPublish() {
        behaviour.put("one", new ArrayDeque<>(List.of(new WorkConsumer.StageFailure(Stage.PUBLISH, new IOException("broker gone")))));
        given(new FailurePolicy(1, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0), 1, "a:one");

        poll();
        workers.runAll();
        poll();

        assertThat(deadLetterStages()).containsExactly("PUBLISH");
        assertThat(committed()).isEqualTo(1L);
    }

    @Test
    void abandonedWorkIsTakenAgainWithoutCountingAsAFailure() {
        // Given work abandoned twice (its lease was lost) under a policy that allows a single attempt
        behaviour.put("one", new ArrayDeque<>(List.of(WorkConsumer.Result.ABANDONED, WorkConsumer.Result.ABANDONED)));
        given(new FailurePolicy(1, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0), 1, "a:one");

        // When it is abandoned, taken again after the backoff, abandoned, taken again
        for (int i = 0; i < 3; i++) {
            poll();
            workers.runAll();
            poll();
            clock.advance(Duration.ofSeconds(1));
        }

        // Then it ran three times and finished; nothing was dead-lettered
        assertThat(started).containsExactly("one", "one", "one");
        assertThat(dlt.history()).isEmpty();
        assertThat(committed()).isEqualTo(1L);
    }

    @Test
    void whenTheDeadLetterTopicRefusesTheRecordStaysAndIsNotCommitted() {
        // Given a dead-letter topic that does not acknowledge
        MockProducer<byte[], byte[]> refusing = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        kafka.schedulePollTask(() -> {
            kafka.rebalance(List.of(P0));
            kafka.updateBeginningOffsets(Map.of(P0, 0L));
            kafka.addRecord(new ConsumerRecord<>(TOPIC, 0, 0, "k", "!garbage".getBytes(StandardCharsets.UTF_8)));
        });
        consumer = new WorkConsumer<>(() -> kafka, values, new DeadLetters(refusing, "test", Duration.ofMillis(1)),
                new WorkConsumer.Settings(TOPIC, 1, THREE_TRIES), dispatcher, clock, RandomGenerator.getDefault(),
                workers, Duration.ZERO);
        consumer.subscribe(kafka);

        // When polled
        poll();

        // Then the record is not committed: it is not lost
        assertThat(committed()).isNull();
    }

    /** Holds submitted work until the test runs it, on the test's thread. */
    private static final class ManualExecutor extends AbstractExecutorService {
        private final List<Runnable> tasks = new ArrayList<>();

        int queued() {
            return tasks.size();
        }

        void run(int index) {
            tasks.remove(index).run();
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                run(0);
            }
        }

        @Override
        public void execute(Runnable command) {
            tasks.add(command);
        }

        @Override
        public void shutdown() {}

        @Override
        public List<Runnable> shutdownNow() {
            return List.copyOf(tasks);
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
