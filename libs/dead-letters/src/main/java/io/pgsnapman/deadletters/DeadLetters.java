package io.pgsnapman.deadletters;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgsnapman.metrics.FleetMeters;
import io.pgsnapman.metrics.Metric;
import io.pgsnapman.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records a consumer gives up on to the {@code -dlt} topic of the topic they came from (the value byte
 * for byte, the key as read) with {@link DeadLetterHeaders}, and counts them per source topic and stage. {@link #send} returns only once
 * the broker acknowledged the dead letter, so the caller may then move past the record; if that fails the
 * caller must not move past it (it throws).
 *
 * <p>Thread-safe. Closing it closes the producer.
 */
public final class DeadLetters implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final Producer<byte[], byte[]> producer;
    private final String consumer;
    private final Duration sendTimeout;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private volatile MeterRegistry meters;
    /** The publisher this one shares its producer and counts with ({@link #as}); null for an original. */
    private final DeadLetters shared;

    /** The meter counting dead letters (Prometheus: {@code pgsnapman_dead_letters_total}). */
    public static final String METER = Metric.DEAD_LETTERS.meterName();

    /**
     * @param producer a raw-bytes producer ({@code acks=all})
     * @param consumer names the consumer in {@link DeadLetterHeaders#CONSUMER} (e.g. its group id)
     */
    public DeadLetters(Producer<byte[], byte[]> producer, String consumer) {
        this(producer, consumer, Duration.ofSeconds(30));
    }

    public DeadLetters(Producer<byte[], byte[]> producer, String consumer, Duration sendTimeout) {
        this.producer = producer;
        this.consumer = consumer;
        this.sendTimeout = sendTimeout;
        this.shared = null;
    }

    private DeadLetters(DeadLetters shared, String consumer) {
        this.producer = shared.producer;
        this.consumer = consumer;
        this.sendTimeout = shared.sendTimeout;
        this.shared = shared;
    }

    /**
     * The same publisher for a second consumer of the service (e.g. another consumer group on the same topic): its
     * letters name {@code otherConsumer}, and go through this one's producer and counts. Closing it does nothing;
     * close this one.
     */
    public DeadLetters as(String otherConsumer) {
        return new DeadLetters(shared != null ? shared : this, otherConsumer);
    }

    /** A publisher with its own raw-bytes producer ({@code acks=all}, idempotent) built from these producer properties. */
    public static DeadLetters create(Map<String, Object> producerProperties, String consumer) {
        Map<String, Object> props = new HashMap<>(producerProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return new DeadLetters(new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()), consumer);
    }

    /** The dead-letter topic of a topic, from the topic table where it is listed. */
    public static String topicFor(String topic) {
        return Topics.byName(topic).map(t -> t.deadLetterTopic()).orElse(topic + Topics.DEAD_LETTER_SUFFIX);
    }

    /** Dead-letters a consumed record whose value is still raw bytes. */
    public void send(Stage stage, ConsumerRecord<String, byte[]> record, Throwable error) {
        send(stage, record.topic(), record.partition(), record.offset(), record.key(), record.value(), error);
    }

    /**
     * Dead-letters the record at {@code topic}/{@code partition}/{@code offset} with these original bytes.
     *
     * @throws IllegalStateException when the dead-letter topic did not take it
     */
    public void send(Stage stage, String topic, int partition, long offset, String key, byte[] value, Throwable error) {
        String target = topicFor(topic);
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(target, null,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value,
                DeadLetterHeaders.describe(stage, consumer, topic, partition, offset, error));
        try {
            producer.send(letter).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + target, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + target + ": " + e.getMessage(), e);
        }
        counted(topic, stage);
        log.error("{} gave up on {}-{}@{} at {}, sent to {}: {}", consumer, topic, partition, offset, stage, target,
                Failures.describe(error));
    }

    /** Counts a record dead-lettered by someone else on this consumer's behalf (e.g. Spring's recoverer). */
    public void counted(String topic, Stage stage) {
        if (shared != null) {
            shared.counted(topic, stage);
            return;
        }
        counts.computeIfAbsent(topic + " " + stage, k -> new AtomicLong()).incrementAndGet();
        if (meters != null) {
            new FleetMeters(meters).counter(Metric.DEAD_LETTERS, topic, stage.name()).increment();
        }
    }

    /**
     * Counts every dead letter from now on also as the Prometheus counter {@code pgsnapman_dead_letters_total}
     * with the labels {@code topic} (the source topic) and {@code stage}.
     */
    public DeadLetters countedIn(MeterRegistry registry) {
        this.meters = registry;
        return this;
    }

    /** Records dead-lettered so far, by {@code "<source topic> <stage>"}. */
    public Map<String, Long> counts() {
        if (shared != null) {
            return shared.counts();
        }
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((k, v) -> snapshot.put(k, v.get()));
        return snapshot;
    }

    /** All records dead-lettered so far. */
    public long total() {
        if (shared != null) {
            return shared.total();
        }
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    @Override
    public void close() {
        if (shared != null) {
            return;
        }
        producer.close(Duration.ofSeconds(5));
    }
}
