package io.pgsnapman.workconsumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkConsumerTest {

    private static final String TOPIC = "work";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    private final MockConsumer<String, String> kafka = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final Set<String> skipped = Set.of("other-pool");
    private WorkConsumer<String> consumer;

    /** Values look like "key:name"; a work item runs until its gate "name" is opened. */
    private final WorkConsumer.Dispatcher<String> dispatcher = new WorkConsumer.Dispatcher<>() {
        @Override
        public String exclusiveKey(ConsumerRecord<String, String> record) {
            return record.value().split(":")[0];
        }

        @Override
        public WorkConsumer.Triage triage(ConsumerRecord<String, String> record) {
            return skipped.contains(exclusiveKey(record)) ? WorkConsumer.Triage.SKIP : WorkConsumer.Triage.READY;
        }

        @Override
        public Optional<WorkConsumer.Work> start(ConsumerRecord<String, String> record) {
            String name = record.value().split(":")[1];
            return Optional.of(() -> {
                started.add(name);
                return gates.computeIfAbsent(name, n -> new CountDownLatch(1)).await(10, TimeUnit.SECONDS);
            });
        }
    };

    @AfterEach
    void close() {
        if (consumer != null) {
            consumer.close();
        }
    }

    private void start(int maxConcurrent, String... values) {
        kafka.schedulePollTask(() -> {
            kafka.rebalance(List.of(P0));
            kafka.updateBeginningOffsets(Map.of(P0, 0L));
            for (int i = 0; i < values.length; i++) {
                kafka.addRecord(new ConsumerRecord<>(TOPIC, 0, i, "k", values[i]));
            }
        });
        consumer = new WorkConsumer<>(() -> kafka, new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                TOPIC + "-dlt", new WorkConsumer.Settings(TOPIC, maxConcurrent, Duration.ofMillis(10)), dispatcher, () -> {});
        consumer.start();
    }

    private void open(String gate) {
        gates.computeIfAbsent(gate, n -> new CountDownLatch(1)).countDown();
    }

    private static void eventually(Runnable assertion) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    private Long committed() {
        OffsetAndMetadata offset = kafka.committed(Set.of(P0)).get(P0);
        return offset == null ? null : offset.offset();
    }

    @Test
    void recordsWithDifferentKeysInOnePartitionRunAtTheSameTime() throws Exception {
        // Given two requests for two targets on the same partition
        start(4, "target-a:first", "target-b:second");

        // Then both run at once
        eventually(() -> assertThat(started).containsExactlyInAnyOrder("first", "second"));
        open("first");
        open("second");
    }

    @Test
    void recordsWithTheSameKeyRunOneAfterTheOtherInOffsetOrder() throws Exception {
        // Given two requests for the same target
        start(4, "target-a:first", "target-a:second");
        eventually(() -> assertThat(started).containsExactly("first"));

        // When the first finishes
        Thread.sleep(200);
        assertThat(started).containsExactly("first");
        open("first");

        // Then the second starts
        eventually(() -> assertThat(started).contains("second"));
        open("second");
    }

    @Test
    void theCommittedOffsetWaitsForTheEarliestUnfinishedRecord() throws Exception {
        // Given three records running at once
        start(4, "a:one", "b:two", "c:three");
        eventually(() -> assertThat(started).hasSize(3));

        // When the later two finish first
        open("two");
        open("three");
        Thread.sleep(300);

        // Then nothing is committed until the first is done, and then all three are
        assertThat(committed()).isNull();
        open("one");
        eventually(() -> assertThat(committed()).isEqualTo(3L));
    }

    @Test
    void noMoreThanMaxConcurrentRecordsRun() throws Exception {
        // Given capacity for one
        start(1, "a:one", "b:two");
        eventually(() -> assertThat(started).containsExactly("one"));
        Thread.sleep(200);

        // Then the second starts only when the first ended
        assertThat(started).containsExactly("one");
        assertThat(consumer.runningCount()).isEqualTo(1);
        open("one");
        eventually(() -> assertThat(started).contains("two"));
        open("two");
    }

    @Test
    void skippedRecordsAreCommittedWithoutRunning() throws Exception {
        // Given a record of another pool
        start(2, "other-pool:x");

        // Then it is committed and never run
        eventually(() -> assertThat(committed()).isEqualTo(1L));
        assertThat(started).isEmpty();
    }
}
