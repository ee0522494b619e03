package io.pgsnapman.configcache;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.deadletters.RecordDecoder;
import io.pgsnapman.metrics.Metric;
import io.pgsnapman.registry.serde.AvroDeserializer;
import io.pgsnapman.schemas.TopicSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest value per key of one compacted topic, in memory. At {@link #start()} it reads every partition
 * from the beginning up to the end offsets captured at that moment; only then is it {@link #isLoaded()
 * loaded} (a service reports ready only after). It then follows live updates for as long as it runs. A
 * tombstone removes its key. A record that cannot be decoded goes to the topic's dead-letter topic (stage
 * DECODE) and is counted, and the next one is read; a record that cannot be decoded for a passing reason (the
 * registry unreachable) is read again after a pause, never skipped. Reads are safe from any thread. If the broker fails it starts over from the beginning (keys whose
 * tombstones were compacted away meanwhile stay until a restart).
 *
 * <p>It assigns partitions itself (no consumer group), so every replica of every service holds the whole
 * configuration. Partitions added while it runs are not picked up until a restart.
 *
 * @param <V> value type
 */
public final class CompactedTopicCache<V> implements AutoCloseable {

    /** The gauge of {@link #measuredIn}; Prometheus shows it as {@code pgsnapman_config_cache_entries}. */
    public static final String ENTRIES_METER = Metric.CONFIG_CACHE_ENTRIES.meterName();

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
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

    private final String topic;
    private final Map<String, Object> consumerProperties;
    private final RecordDecoder<V> decoder;
    private final Map<String, V> values = new ConcurrentHashMap<>();
    private final List<Listener<V>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final AtomicLong skippedRecords = new AtomicLong();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running;
    private Thread thread;

    /**
     * @param deadLetters where records that cannot be decoded go (shared with the service's other caches; not closed here)
     */
    public CompactedTopicCache(String topic, Map<String, Object> consumerProperties, Deserializer<V> valueDeserializer,
            DeadLetters deadLetters) {
        this.topic = topic;
        this.decoder = new RecordDecoder<>(valueDeserializer, deadLetters);
        this.consumerProperties = new HashMap<>(consumerProperties);
        this.consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerProperties.remove(ConsumerConfig.GROUP_ID_CONFIG);
    }

    /** A started cache of a topic of the topic table, its values read as generated Avro classes. */
    public static <V extends SpecificRecord> CompactedTopicCache<V> start(TopicSpec<V> topic, Map<String, Object> consumerProperties,
            DeadLetters deadLetters) {
        CompactedTopicCache<V> cache = new CompactedTopicCache<>(topic.name(), consumerProperties,
                AvroDeserializer.forSpecificValues(consumerProperties), deadLetters);
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

    /**
     * Shows how many keys the cache holds as the gauge {@code pgsnapman_config_cache_entries{topic}}: what a
     * service knows of its configuration (a dashboard, or a script waiting until a new job is known).
     */
    public CompactedTopicCache<V> measuredIn(MeterRegistry meters) {
        Gauge.builder(ENTRIES_METER, values, Map::size).tag("topic", topic)
                .description(Metric.CONFIG_CACHE_ENTRIES.help()).register(meters);
        return this;
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

    /** Records skipped because they could not be decoded (dead-lettered) or had no key. */
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
        try (KafkaConsumer<String, byte[]> kafka =
                new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = kafka;
            List<TopicPartition> partitions = kafka.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            kafka.assign(partitions);
            kafka.seekToBeginning(partitions);
            Map<TopicPartition, Long> endOffsets = new HashMap<>(kafka.endOffsets(partitions));
            log.info("loading {} ({} partitions) up to offsets {}", topic, partitions.size(), endOffsets);
            while (running) {
                Set<TopicPartition> retry = new HashSet<>();
                for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofMillis(200))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (!retry.contains(partition) && !take(record)) {
                        retry.add(partition);
                        kafka.seek(partition, record.offset()); // read it again after a pause; later records wait
                    }
                }
                if (!retry.isEmpty()) {
                    pauseBeforeRetry();
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

    /** Decodes and applies one record; false when it must be read again later (nothing was applied). */
    private boolean take(ConsumerRecord<String, byte[]> record) {
        RecordDecoder.Result<V> result = decoder.decode(record);
        if (result instanceof RecordDecoder.Result.Read<V> read) {
            apply(record.key(), read.value());
        } else if (result instanceof RecordDecoder.Result.DeadLettered<V>) {
            skippedRecords.incrementAndGet();
        }
        return !(result instanceof RecordDecoder.Result.Later<V>);
    }

    private void pauseBeforeRetry() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
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
        KafkaConsumer<String, byte[]> current = consumer;
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
