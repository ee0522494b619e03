package io.pgsnapman.configcache;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.schemas.TopicSpec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest value per key of one compacted topic, in memory. At {@link #start()} it reads every partition
 * from the beginning up to the end offsets captured at that moment; only then is it {@link #isLoaded()
 * loaded} (a service reports ready only after). It then follows live updates for as long as it runs. A
 * tombstone removes its key. A record that cannot be decoded is skipped and counted, never retried in a
 * loop. Reads are safe from any thread. If the broker fails it starts over from the beginning (keys whose
 * tombstones were compacted away meanwhile stay until a restart).
 *
 * <p>It assigns partitions itself (no consumer group), so every replica of every service holds the whole
 * configuration. Partitions added while it runs are not picked up until a restart.
 *
 * @param <V> value type
 */
public final class CompactedTopicCache<V> implements AutoCloseable {

    /** Told of every change, during the initial load and after. */
    @FunctionalInterface
    public interface Listener<V> {
        /**
         * @param key      record key
         * @param previous the value before, or null
         * @param current  the value now, or null when removed
         */
        void changed(String key, V previous, V current);
    }

    private static final Logger log = LoggerFactory.getLogger(CompactedTopicCache.class);

    private final String topic;
    private final Map<String, Object> consumerProperties;
    private final Deserializer<V> valueDeserializer;
    private final Map<String, V> values = new ConcurrentHashMap<>();
    private final List<Listener<V>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final AtomicLong skippedRecords = new AtomicLong();
    private volatile KafkaConsumer<String, V> consumer;
    private volatile boolean running;
    private Thread thread;

    public CompactedTopicCache(String topic, Map<String, Object> consumerProperties, Deserializer<V> valueDeserializer) {
        this.topic = topic;
        this.consumerProperties = new HashMap<>(consumerProperties);
        this.consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerProperties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.valueDeserializer = valueDeserializer;
    }

    /** A started cache of a topic of the topic table, its values read as generated Avro classes. */
    public static <V extends SpecificRecord> CompactedTopicCache<V> start(TopicSpec<V> topic, Map<String, Object> consumerProperties) {
        CompactedTopicCache<V> cache = new CompactedTopicCache<>(topic.name(), consumerProperties,
                AvroDeserializer.forSpecificValues(consumerProperties));
        cache.start();
        return cache;
    }

    public void addListener(Listener<V> listener) {
        listeners.add(listener);
    }

    /** Starts reading in a background thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("cache of " + topic + " already started");
        }
        running = true;
        thread = new Thread(this::run, "config-cache-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    public String topic() {
        return topic;
    }

    /** Whether everything up to the end offsets seen at start has been read. */
    public boolean isLoaded() {
        return loaded.getCount() == 0;
    }

    /** Waits until loaded; false on time-out. */
    public boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Optional<V> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** A snapshot of the current values. */
    public Collection<V> values() {
        return List.copyOf(values.values());
    }

    public Set<String> keys() {
        return Set.copyOf(values.keySet());
    }

    /** Records skipped because they could not be decoded. */
    public long skippedRecords() {
        return skippedRecords.get();
    }

    private void run() {
        while (running) {
            try {
                consume();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.error("cache of {} failed, starting over in 2 s: {}", topic, e.getMessage(), e);
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One pass: load from the beginning, then follow until closed or a failure. */
    private void consume() {
        try (KafkaConsumer<String, V> kafka = new KafkaConsumer<>(consumerProperties, new StringDeserializer(), valueDeserializer)) {
            consumer = kafka;
            List<TopicPartition> partitions = kafka.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            kafka.assign(partitions);
            kafka.seekToBeginning(partitions);
            Map<TopicPartition, Long> endOffsets = new HashMap<>(kafka.endOffsets(partitions));
            log.info("loading {} ({} partitions) up to offsets {}", topic, partitions.size(), endOffsets);
            while (running) {
                try {
                    for (ConsumerRecord<String, V> record : kafka.poll(Duration.ofMillis(200))) {
                        apply(record.key(), record.value());
                    }
                } catch (RecordDeserializationException e) {
                    skippedRecords.incrementAndGet();
                    log.error("skipping undecodable record {} at offset {}: {}", e.topicPartition(), e.offset(), e.getMessage());
                    kafka.seek(e.topicPartition(), e.offset() + 1);
                }
                if (!isLoaded()) {
                    endOffsets.entrySet().removeIf(end -> kafka.position(end.getKey()) >= end.getValue());
                    if (endOffsets.isEmpty()) {
                        log.info("loaded {}: {} keys", topic, values.size());
                        loaded.countDown();
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            consumer = null;
        }
    }

    private void apply(String key, V value) {
        if (key == null) {
            skippedRecords.incrementAndGet();
            log.warn("ignoring record without key on {}", topic);
            return;
        }
        V previous = value == null ? values.remove(key) : values.put(key, value);
        for (Listener<V> listener : listeners) {
            try {
                listener.changed(key, previous, value);
            } catch (RuntimeException e) {
                log.error("listener failed on {} key {}: {}", topic, key, e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, V> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
