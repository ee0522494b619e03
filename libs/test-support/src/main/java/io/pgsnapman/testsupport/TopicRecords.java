package io.pgsnapman.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning in a test, until records matching a condition arrived. */
public final class TopicRecords {

    /**
     * How long a fetch may wait for data on the broker ({@code fetch.max.wait.ms}, 500 by default). A new consumer's
     * second fetch waits that long for partitions it has read to the end before the others' records come: reading a
     * topic that already holds the records took ~560 ms with the default and ~85 ms with this (measured here).
     */
    public static final int QUICK_FETCH_MS = 50;

    private TopicRecords() {}

    /**
     * Every record read until {@code done} holds (records the deserializer cannot read are passed over) for the list so far (checked after each poll), or fails
     * after {@code timeout} showing how many were read.
     */
    public static <V> List<ConsumerRecord<String, V>> readUntil(KafkaBroker broker, String topic, Deserializer<V> values,
            Predicate<List<ConsumerRecord<String, V>>> done, Duration timeout) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, QUICK_FETCH_MS);
        List<ConsumerRecord<String, V>> seen = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                try {
                    consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                } catch (RecordDeserializationException unreadable) {
                    consumer.seek(unreadable.topicPartition(), unreadable.offset() + 1); // a poison record a test put there
                }
                if (done.test(seen)) {
                    return seen;
                }
            }
        }
        throw new AssertionError("condition not met on " + topic + " within " + timeout + " after " + seen.size()
                + " record(s): " + seen.stream().map(r -> r.key() + "=" + r.value()).toList());
    }

    /** The first record with that key. */
    public static <V> ConsumerRecord<String, V> awaitKey(KafkaBroker broker, String topic, Deserializer<V> values,
            String key, Duration timeout) {
        Predicate<ConsumerRecord<String, V>> matches = r -> key.equals(r.key());
        return readUntil(broker, topic, values, list -> list.stream().anyMatch(matches), timeout).stream()
                .filter(matches).findFirst().orElseThrow();
    }
}
