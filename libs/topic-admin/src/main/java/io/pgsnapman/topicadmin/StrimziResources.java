package io.pgsnapman.topicadmin;

import io.pgsnapman.schemas.TopicSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Strimzi custom resources rendered from the code's declarations, so the cluster's topics and users cannot drift
 * from what the services provision and use: a {@code KafkaTopic} per topic and dead-letter topic, with the partitions,
 * replication and settings {@link TopicProvisioner} would give it, and a {@code KafkaUser} per service (SCRAM-SHA-512)
 * with exactly its {@link KafkaAcls}. Resources are plain maps, ready for any YAML writer.
 */
public final class StrimziResources {

    public static final String API_VERSION = "kafka.strimzi.io/v1beta2";
    public static final String CLUSTER_LABEL = "strimzi.io/cluster";

    private StrimziResources() {}

    /** A {@code KafkaTopic} for each topic and its dead-letter topic, in the order given. */
    public static List<Map<String, Object>> kafkaTopics(Collection<TopicSpec<?>> specs, String cluster, TopicSettings settings) {
        TopicProvisioner provisioner = new TopicProvisioner(Map.of(), settings);
        List<Map<String, Object>> resources = new ArrayList<>();
        for (TopicSpec<?> spec : specs) {
            for (NewTopic topic : provisioner.newTopics(spec)) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("topicName", topic.name());
                body.put("partitions", topic.numPartitions());
                body.put("replicas", (int) topic.replicationFactor());
                body.put("config", new TreeMap<>(topic.configs()));
                resources.add(resource("KafkaTopic", topic.name(), cluster, body));
            }
        }
        return resources;
    }

    /** The {@code KafkaUser} of a service: SCRAM-SHA-512, simple authorization with exactly its ACLs. */
    public static Map<String, Object> kafkaUser(ServiceTopics declared, String cluster) {
        List<Map<String, Object>> acls = new ArrayList<>();
        for (KafkaAcls.Acl acl : KafkaAcls.of(declared)) {
            Map<String, Object> resource = new LinkedHashMap<>();
            resource.put("type", switch (acl.type()) {
                case TOPIC -> "topic";
                case GROUP -> "group";
                case TRANSACTIONAL_ID -> "transactionalId";
                case CLUSTER -> "cluster";
            });
            if (acl.type() != KafkaAcls.ResourceType.CLUSTER) {
                resource.put("name", acl.name());
                resource.put("patternType", acl.prefixed() ? "prefix" : "literal");
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("resource", resource);
            entry.put("operations", List.copyOf(acl.operations()));
            acls.add(entry);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("authentication", Map.of("type", "scram-sha-512"));
        Map<String, Object> authorization = new LinkedHashMap<>();
        authorization.put("type", "simple");
        authorization.put("acls", acls);
        body.put("authorization", authorization);
        return resource("KafkaUser", declared.service(), cluster, body);
    }

    private static Map<String, Object> resource(String kind, String name, String cluster, Map<String, Object> spec) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name.toLowerCase(Locale.ROOT));
        metadata.put("labels", Map.of(CLUSTER_LABEL, cluster));
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("apiVersion", API_VERSION);
        resource.put("kind", kind);
        resource.put("metadata", metadata);
        resource.put("spec", spec);
        return resource;
    }
}
