package io.pgsnapman.topicadmin;

import io.pgsnapman.schemas.TopicSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kafka ACLs a service needs, derived from its {@link ServiceTopics} and nothing else: Read on what it consumes,
 * Write on what it produces and on the dead-letter topics of what it consumes, Describe on both, Create on every
 * topic it provisions at start, Read on its consumer groups, Write and Describe on its transactional ids (with
 * IdempotentWrite on the cluster, which its idempotent producers need). Nothing is granted by wildcard.
 */
public final class KafkaAcls {

    /** What an ACL is about. */
    public enum ResourceType { TOPIC, GROUP, TRANSACTIONAL_ID, CLUSTER }

    /** One resource and the operations allowed on it. */
    public record Acl(ResourceType type, String name, boolean prefixed, Set<String> operations) {}

    private KafkaAcls() {}

    /** The service's ACLs, topics first, each resource once with its operations sorted. */
    public static List<Acl> of(ServiceTopics declared) {
        Map<String, Set<String>> topics = new LinkedHashMap<>();
        for (TopicSpec<?> topic : declared.reads()) {
            allow(topics, topic.name(), "Read", "Describe", "Create");
            allow(topics, topic.deadLetterTopic(), "Write", "Describe", "Create");
        }
        for (TopicSpec<?> topic : declared.writes()) {
            allow(topics, topic.name(), "Write", "Describe", "Create");
            allow(topics, topic.deadLetterTopic(), "Create");
        }
        List<Acl> acls = new ArrayList<>();
        topics.forEach((name, ops) -> acls.add(new Acl(ResourceType.TOPIC, name, false, sorted(ops))));
        for (ServiceTopics.Group group : declared.groups()) {
            acls.add(new Acl(ResourceType.GROUP, group.name(), group.prefixed(), Set.of("Read")));
        }
        for (String id : declared.transactionalIds()) {
            acls.add(new Acl(ResourceType.TRANSACTIONAL_ID, id, false, sorted(Set.of("Write", "Describe"))));
        }
        if (!declared.writes().isEmpty()) {
            acls.add(new Acl(ResourceType.CLUSTER, "kafka-cluster", false, Set.of("IdempotentWrite")));
        }
        acls.sort(Comparator.comparing(Acl::type).thenComparing(Acl::name));
        return acls;
    }

    private static void allow(Map<String, Set<String>> topics, String topic, String... operations) {
        topics.computeIfAbsent(topic, t -> new LinkedHashSet<>()).addAll(List.of(operations));
    }

    private static Set<String> sorted(Set<String> operations) {
        return new LinkedHashSet<>(operations.stream().sorted().toList());
    }
}
