package io.pgsnapman.service.catalog.dashboard;

import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.deadletters.RecordDecoder;
import io.pgsnapman.events.activity.ActivityEvent;
import io.pgsnapman.schemas.Topics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
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
 * Follows {@code pgsnapman.activity} for the operator dashboard: without a consumer group (every replica sees
 * everything, nothing is committed), from a few records before the end of each partition, keeping the latest
 * {@code keep} events in memory for a page that connects and handing every new one to the subscribers. A record that
 * cannot be read is dead-lettered (stage DECODE) and skipped; one that cannot be read yet is skipped too — the feed is
 * for watching, and never stops on a record.
 */
public final class ActivityFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ActivityFeed.class);
    private static final Duration RESTART_PAUSE = Duration.ofSeconds(2);

    private final Map<String, Object> consumerProperties;
    private final RecordDecoder<ActivityEvent> decoder;
    private final int keep;
    private final ArrayDeque<ActivityEntry> recent = new ArrayDeque<>();
    private final List<Consumer<ActivityEntry>> subscribers = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;

    public ActivityFeed(Map<String, Object> consumerProperties, Deserializer<ActivityEvent> values, DeadLetters deadLetters,
            int keep) {
        this.consumerProperties = new HashMap<>(consumerProperties);
        this.consumerProperties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.decoder = new RecordDecoder<>(values, deadLetters);
        this.keep = keep;
        this.thread = new Thread(this::run, "activity-feed");
        this.thread.setDaemon(true);
    }

    public ActivityFeed start() {
        thread.start();
        return this;
    }

    /** The latest events, oldest first. */
    public synchronized List<ActivityEntry> recent() {
        return List.copyOf(recent);
    }

    /** Hands every new event to {@code subscriber} until it is {@linkplain #unsubscribe removed}. */
    public void subscribe(Consumer<ActivityEntry> subscriber) {
        subscribers.add(subscriber);
    }

    public void unsubscribe(Consumer<ActivityEntry> subscriber) {
        subscribers.remove(subscriber);
    }

    /** Subscribers now (open pages). */
    public int subscriberCount() {
        return subscribers.size();
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, byte[]> kafka =
                    new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = kafka;
                List<TopicPartition> partitions = kafka.partitionsFor(Topics.ACTIVITY.name(), Duration.ofSeconds(60)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                kafka.assign(partitions);
                Map<TopicPartition, Long> ends = kafka.endOffsets(partitions);
                Map<TopicPartition, Long> starts = kafka.beginningOffsets(partitions);
                long perPartition = Math.max(1, keep / Math.max(1, partitions.size()));
                partitions.forEach(p -> kafka.seek(p, Math.max(starts.get(p), ends.get(p) - perPartition)));
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofMillis(500))) {
                        if (decoder.decode(record) instanceof RecordDecoder.Result.Read<ActivityEvent> read && read.value() != null) {
                            publish(ActivityEntry.of(read.value()));
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("activity feed failed, starting over in {}: {}", RESTART_PAUSE, e.getMessage());
                    pause();
                }
            } finally {
                consumer = null;
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RESTART_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Keeps the event and hands it to every subscriber; a subscriber that throws is removed. */
    void publish(ActivityEntry entry) {
        synchronized (this) {
            recent.addLast(entry);
            while (recent.size() > keep) {
                recent.removeFirst();
            }
        }
        for (Consumer<ActivityEntry> subscriber : subscribers) {
            try {
                subscriber.accept(entry);
            } catch (RuntimeException e) {
                subscribers.remove(subscriber);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> kafka = consumer;
        if (kafka != null) {
            kafka.wakeup();
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
