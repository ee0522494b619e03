package io.pgsnapman.metrics;

import io.micrometer.core.instrument.MultiGauge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Metric#CONSUMER_LAG} of a service's own consumer groups, read from the broker like an external lag
 * exporter would: per group and topic, the end offsets minus the committed ones (the earliest offset standing in
 * for a partition the group has not committed yet). Refreshed every {@code every} on a thread of its own, or by
 * {@link #refresh()}; a refresh that fails keeps the last rows and is logged.
 */
public final class ConsumerLag implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLag.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, Object> adminProperties;
    private final Map<String, List<String>> topicsByGroup;
    private final MultiGauge gauge;
    private final ScheduledExecutorService refresher;
    private Admin admin;

    /**
     * @param adminProperties Kafka admin client properties (bootstrap servers, security)
     * @param topicsByGroup   each consumer group of the service and the topics it reads
     */
    public ConsumerLag(Map<String, Object> adminProperties, Map<String, List<String>> topicsByGroup, FleetMeters meters) {
        this.adminProperties = new HashMap<>(adminProperties);
        this.topicsByGroup = new LinkedHashMap<>(topicsByGroup);
        this.gauge = meters.multiGauge(Metric.CONSUMER_LAG);
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "consumer-lag");
            t.setDaemon(true);
            return t;
        });
    }

    /** Refreshes now and then every {@code every}. */
    public ConsumerLag start(Duration every) {
        refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Reads every group's lag from the broker and replaces the gauge's rows; the lag per group and topic. */
    public synchronized Map<String, Map<String, Long>> refresh() throws Exception {
        if (admin == null) {
            admin = Admin.create(adminProperties);
        }
        List<String> topics = topicsByGroup.values().stream().flatMap(List::stream).distinct().toList();
        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        described.values().forEach(d -> d.partitions().forEach(p -> {
            TopicPartition tp = new TopicPartition(d.name(), p.partition());
            latest.put(tp, OffsetSpec.latest());
            earliest.put(tp, OffsetSpec.earliest());
        }));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all()
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<String, Map<String, Long>> lags = new LinkedHashMap<>();
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Map.Entry<String, List<String>> group : topicsByGroup.entrySet()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.getKey())
                    .partitionsToOffsetAndMetadata().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Long> byTopic = new LinkedHashMap<>();
            for (String topic : group.getValue()) {
                long lag = 0;
                for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
                    if (!end.getKey().topic().equals(topic)) {
                        continue;
                    }
                    OffsetAndMetadata at = committed.get(end.getKey());
                    long from = at != null ? at.offset() : starts.get(end.getKey()).offset();
                    lag += Math.max(0, end.getValue().offset() - from);
                }
                byTopic.put(topic, lag);
                rows.add(MultiGauge.Row.of(FleetMeters.tags(Metric.CONSUMER_LAG, group.getKey(), topic), lag));
            }
            lags.put(group.getKey(), byTopic);
        }
        gauge.register(rows, true);
        return lags;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("consumer lag not read: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        refresher.shutdownNow();
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
