package io.pgsnapman.topicadmin;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KafkaAclsTest {

    private static final ServiceTopics WORKER = ServiceTopics.of("restore-worker")
            .reads(Topics.CONFIG_SERVERS, Topics.RESTORE_REQUESTED)
            .writes(Topics.RESTORE_COMPLETED)
            .groups(ServiceTopics.Group.prefix("pgsnapman-restore-worker-"));

    @Test
    void aServiceMayReadWhatItConsumesWriteWhatItProducesAndDeadLetterWhatItCannotRead() {
        List<KafkaAcls.Acl> acls = KafkaAcls.of(WORKER);

        assertThat(acls).containsExactly(
                new KafkaAcls.Acl(KafkaAcls.ResourceType.TOPIC, "pgsnapman.config.servers", false, Set.of("Create", "Describe", "Read")),
                new KafkaAcls.Acl(KafkaAcls.ResourceType.TOPIC, "pgsnapman.config.servers-dlt", false, Set.of("Create", "Describe", "Write")),
                new KafkaAcls.Acl(KafkaAcls.ResourceType.TOPIC, "pgsnapman.restore.completed", false, Set.of("Create", "Describe", "Write")),
                new KafkaAcls.Acl(KafkaAcls.ResourceType.TOPIC, "pgsnapman.restore.completed-dlt", false, Set.of("Create")),
                new KafkaAcls.Acl(KafkaAcls.ResourceType.TOPIC, "pgsnapman.restore.requested", false, Set.of("Create", "Describe", "Read")),
                new KafkaAcls.Acl(KafkaAcls.ResourceType.TOPIC, "pgsnapman.restore.requested-dlt", false, Set.of("Create", "Describe", "Write")),
                new KafkaAcls.Acl(KafkaAcls.ResourceType.GROUP, "pgsnapman-restore-worker-", true, Set.of("Read")),
                new KafkaAcls.Acl(KafkaAcls.ResourceType.CLUSTER, "kafka-cluster", false, Set.of("IdempotentWrite")));
    }

    @Test
    void aTransactionalProducerMayUseItsTransactionalIdOnly() {
        List<KafkaAcls.Acl> acls = KafkaAcls.of(ServiceTopics.of("scheduler").writes(Topics.SCHEDULE_TICKS)
                .transactionalIds("pgsnapman-scheduler"));

        assertThat(acls).filteredOn(a -> a.type() == KafkaAcls.ResourceType.TRANSACTIONAL_ID)
                .containsExactly(new KafkaAcls.Acl(KafkaAcls.ResourceType.TRANSACTIONAL_ID, "pgsnapman-scheduler", false,
                        Set.of("Describe", "Write")));
        assertThat(acls).noneMatch(a -> a.operations().contains("Read"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theKafkaUserCarriesExactlyTheseAclsAndEachTopicItsDeadLetterTopic() {
        Map<String, Object> user = StrimziResources.kafkaUser(WORKER, "pgsnapman");
        List<Map<String, Object>> topics = StrimziResources.kafkaTopics(List.of(Topics.RESTORE_REQUESTED), "pgsnapman",
                new TopicSettings(6, (short) 3, Duration.ofSeconds(30)));

        assertThat(user).containsEntry("kind", "KafkaUser").containsEntry("apiVersion", "kafka.strimzi.io/v1beta2");
        Map<String, Object> spec = (Map<String, Object>) user.get("spec");
        List<Map<String, Object>> acls = (List<Map<String, Object>>) ((Map<String, Object>) spec.get("authorization")).get("acls");
        assertThat(acls).hasSize(KafkaAcls.of(WORKER).size());
        assertThat(acls.get(6)).isEqualTo(Map.of("resource", Map.of("type", "group", "name", "pgsnapman-restore-worker-",
                "patternType", "prefix"), "operations", List.of("Read")));
        assertThat(acls.get(7).get("resource")).isEqualTo(Map.of("type", "cluster"));
        assertThat(topics).extracting(t -> ((Map<String, Object>) t.get("spec")).get("topicName"))
                .containsExactly("pgsnapman.restore.requested", "pgsnapman.restore.requested-dlt");
        assertThat((Map<String, Object>) topics.get(0).get("spec")).containsEntry("partitions", 6).containsEntry("replicas", 3);
    }
}
