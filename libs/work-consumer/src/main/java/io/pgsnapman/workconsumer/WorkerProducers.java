package io.pgsnapman.workconsumer;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The two producers a worker needs beside its {@link WorkConsumer}: one for its outcome events (idempotent,
 * {@code acks=all}, serializers from the given properties) and one for dead letters (raw bytes, {@code acks=all}).
 */
public final class WorkerProducers {

    private WorkerProducers() {}

    /** Outcomes and activity: a record acknowledged is on every in-sync replica, and a retry never doubles it. */
    public static Producer<String, Object> events(Map<String, Object> producerProperties) {
        Map<String, Object> props = new HashMap<>(producerProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props);
    }

    /** Records that could not be read, copied byte for byte to a dead-letter topic. */
    public static Producer<byte[], byte[]> deadLetters(Map<String, Object> producerProperties) {
        Map<String, Object> props = new HashMap<>(producerProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
