package io.pgsnapman.topicadmin;

import io.pgsnapman.schemas.CleanupPolicy;
import io.pgsnapman.schemas.TopicSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates topics of the topic table that do not exist yet, each with its cleanup policy and retention,
 * plus its dead-letter topic. Existing topics are left alone (their settings are the operator's). Every
 * service calls this at start for the topics it uses, so the order services start in does not matter.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    private final Map<String, Object> adminProperties;
    private final int partitions;
    private final short replicationFactor;

    /**
     * @param adminProperties   Kafka admin client properties ({@code bootstrap.servers}, security)
     * @param partitions        partitions of a new topic
     * @param replicationFactor replication factor of a new topic
     */
    public TopicProvisioner(Map<String, Object> adminProperties, int partitions, short replicationFactor) {
        this.adminProperties = new HashMap<>(adminProperties);
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    /** With a service's topic settings. */
    public TopicProvisioner(Map<String, Object> adminProperties, TopicSettings settings) {
        this(adminProperties, settings.partitions(), settings.replicationFactor());
    }

    /** The topic definition used for a spec (dead-letter topics share the policy but keep records longer). */
    public List<NewTopic> newTopics(TopicSpec<?> spec) {
        Map<String, String> config = new HashMap<>();
        config.put(TopicConfig.CLEANUP_POLICY_CONFIG, spec.cleanup().kafkaValue());
        spec.retentionOverride().ifPresent(r -> config.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(r.toMillis())));
        if (spec.cleanup() == CleanupPolicy.COMPACT) {
            config.put(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0");
        }
        NewTopic topic = new NewTopic(spec.name(), Optional.of(spec.partitionsOverride().orElse(partitions)),
                Optional.of(replicationFactor)).configs(config);
        NewTopic deadLetter = new NewTopic(spec.deadLetterTopic(), Optional.of(partitions), Optional.of(replicationFactor))
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, CleanupPolicy.DELETE.kafkaValue()));
        return List.of(topic, deadLetter);
    }

    /** Creates what is missing; waits up to 60 s for the broker. */
    public void ensure(Collection<TopicSpec<?>> specs) {
        List<NewTopic> wanted = new ArrayList<>();
        specs.forEach(spec -> wanted.addAll(newTopics(spec)));
        try (Admin admin = Admin.create(adminProperties)) {
            var results = admin.createTopics(wanted).values();
            for (var entry : results.entrySet()) {
                try {
                    entry.getValue().get(60, TimeUnit.SECONDS);
                    log.info("created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + entry.getKey() + " at "
                                + adminProperties.get("bootstrap.servers") + ": " + e.getCause().getMessage(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within 60 s while creating topics at "
                    + adminProperties.get("bootstrap.servers"), e);
        }
    }
}
