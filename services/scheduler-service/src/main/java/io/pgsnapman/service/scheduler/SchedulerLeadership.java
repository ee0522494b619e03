package io.pgsnapman.service.scheduler;

import io.pgsnapman.deadletters.DeadLetters;
import io.pgsnapman.deadletters.RecordDecoder;
import io.pgsnapman.events.schedule.SchedulerProgress;
import io.pgsnapman.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
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
 * The scheduler's leader election and progress reader. Among the replicas, the one whose consumer (group
 * {@code pgsnapman-scheduler}) owns the single partition of the progress topic leads: it reads that topic to the
 * end into the shared progress map (the last instant fired per job) and is then {@linkplain Listener#elected()
 * elected}; losing the partition, failing or closing {@linkplain Listener#deposed deposes} it. A failure leaves
 * the group, letting another replica lead, and rejoins after two seconds. Runs on a thread of its own.
 */
final class SchedulerLeadership implements AutoCloseable {

    /** Hears the leadership change; called on the election thread. */
    interface Listener {
        void elected();

        void deposed(String why);
    }

    private static final Logger log = LoggerFactory.getLogger(SchedulerLeadership.class);
    static final String GROUP = "pgsnapman-scheduler";

    private final Map<String, Object> consumerProperties;
    private final RecordDecoder<SchedulerProgress> decoder;
    private final Map<String, Instant> progress;
    private final Listener listener;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /**
     * @param progress where the last instant fired per job is learnt into (shared with the engine)
     */
    SchedulerLeadership(Map<String, Object> consumerProperties, Deserializer<SchedulerProgress> progressDeserializer,
            DeadLetters deadLetters, Map<String, Instant> progress, Listener listener) {
        this.consumerProperties = new HashMap<>(consumerProperties);
        this.consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        this.consumerProperties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.decoder = new RecordDecoder<>(progressDeserializer, deadLetters);
        this.progress = progress;
        this.listener = listener;
    }

    void start() {
        thread = new Thread(this::elect, "scheduler-election");
        thread.setDaemon(true);
        thread.start();
    }

    private void elect() {
        while (running) {
            try {
                electOnce();
            } catch (RuntimeException e) {
                listener.deposed("failure");
                if (!running) {
                    return;
                }
                log.error("scheduler election failed, rejoining in 2 s: {}", e.getMessage(), e);
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Joins the group and serves until closed or a failure (which leaves the group, letting another lead). */
    private void electOnce() {
        try (KafkaConsumer<String, byte[]> joined =
                new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = joined;
            Map<TopicPartition, Long> loadingUntil = new HashMap<>();
            joined.subscribe(List.of(Topics.SCHEDULER_PROGRESS.name()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        listener.deposed("partition revoked");
                    }
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    listener.deposed("partition lost");
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        joined.seekToBeginning(partitions);
                        loadingUntil.putAll(joined.endOffsets(partitions));
                        log.info("elected scheduler leader; reading progress up to {}", loadingUntil);
                    }
                }
            });
            while (running) {
                for (ConsumerRecord<String, byte[]> record : joined.poll(Duration.ofMillis(200))) {
                    if (!learn(record)) {
                        joined.seek(new TopicPartition(record.topic(), record.partition()), record.offset());
                        Thread.sleep(2000); // the registry or the dead-letter topic is unreachable: read it again
                        break;
                    }
                }
                if (!loadingUntil.isEmpty()) {
                    loadingUntil.entrySet().removeIf(end -> joined.position(end.getKey()) >= end.getValue());
                    if (loadingUntil.isEmpty()) {
                        listener.elected();
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            consumer = null;
            listener.deposed("left the group");
        }
    }

    /**
     * Takes one progress record into account; false when it must be read again later. A record that cannot be
     * read goes to the dead-letter topic and counts as no progress for its job: at worst one catch-up tick,
     * never a reason to stop scheduling.
     */
    private boolean learn(ConsumerRecord<String, byte[]> record) {
        RecordDecoder.Result<SchedulerProgress> result = decoder.decode(record);
        if (result instanceof RecordDecoder.Result.Read<SchedulerProgress> read && read.value() != null && record.key() != null) {
            progress.merge(record.key(), read.value().getLastScheduledAt(), (a, b) -> a.isAfter(b) ? a : b);
        }
        return !(result instanceof RecordDecoder.Result.Later<SchedulerProgress>);
    }

    /** Leaves the group and waits (up to ten seconds) for the election thread to end. */
    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> joined = consumer;
        if (joined != null) {
            joined.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
