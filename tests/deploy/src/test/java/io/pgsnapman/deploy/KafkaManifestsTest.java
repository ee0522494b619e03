package io.pgsnapman.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.schemas.TopicSpec;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.service.catalog.CatalogTopics;
import io.pgsnapman.service.config.ConfigServiceTopics;
import io.pgsnapman.service.dumpworker.DumpWorkerTopics;
import io.pgsnapman.service.restoreworker.RestoreWorkerTopics;
import io.pgsnapman.service.scheduler.SchedulerTopics;
import io.pgsnapman.topicadmin.ServiceTopics;
import io.pgsnapman.topicadmin.StrimziResources;
import io.pgsnapman.topicadmin.TopicSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code deploy/k8s/base/kafka} is what the code renders: a KafkaTopic for every topic of {@link Topics} and its
 * dead-letter topic (settings as the services would create them), and a KafkaUser per service with exactly the ACLs
 * of its own declaration. When a declaration changes this fails; the rendered files are in
 * {@code tests/deploy/target/rendered} to copy over.
 */
class KafkaManifestsTest {

    static final String CLUSTER = "pgsnapman";
    /** Production defaults; the dev overlay patches replicas down to 1. */
    static final TopicSettings BASE = new TopicSettings(3, (short) 3, Duration.ofSeconds(30));
    static final List<ServiceTopics> SERVICES = List.of(ConfigServiceTopics.DECLARED, SchedulerTopics.DECLARED,
            DumpWorkerTopics.DECLARED, RestoreWorkerTopics.DECLARED, CatalogTopics.DECLARED);

    @Test
    void theKafkaTopicsAreTheTopicTableWithItsDeadLetterTopics() throws Exception {
        String rendered = Rendered.yaml(KafkaManifestsTest.class, StrimziResources.kafkaTopics(Topics.ALL, CLUSTER, BASE));

        Rendered.assertMatchesCommitted("kafka", "topics.yaml", rendered);
        List<String> names = documents(rendered).stream().map(d -> (String) spec(d).get("topicName")).toList();
        assertThat(names).hasSize(2 * Topics.ALL.size())
                .containsAll(Topics.ALL.stream().map(TopicSpec::name).toList())
                .containsAll(Topics.ALL.stream().map(TopicSpec::deadLetterTopic).toList());
    }

    @Test
    void everyServiceHasAKafkaUserWithTheAclsOfItsOwnDeclaration() throws Exception {
        String rendered = Rendered.yaml(KafkaManifestsTest.class, SERVICES.stream().map(s -> StrimziResources.kafkaUser(s, CLUSTER)).toList());

        Rendered.assertMatchesCommitted("kafka", "users.yaml", rendered);
        List<Map<String, Object>> users = documents(rendered);
        assertThat(users).extracting(u -> (String) ((Map<?, ?>) u.get("metadata")).get("name"))
                .containsExactly("config-service", "scheduler-service", "dump-worker", "restore-worker", "catalog-service");
        // no service may read a topic it does not consume, nor write one it does not produce
        for (int i = 0; i < SERVICES.size(); i++) {
            ServiceTopics declared = SERVICES.get(i);
            Map<String, List<String>> byTopic = acls(users.get(i)).stream()
                    .filter(a -> "topic".equals(((Map<?, ?>) a.get("resource")).get("type")))
                    .collect(Collectors.toMap(a -> (String) ((Map<?, ?>) a.get("resource")).get("name"), KafkaManifestsTest::operations));
            byTopic.forEach((topic, operations) -> {
                if (operations.contains("Read")) {
                    assertThat(declared.reads()).as(declared.service() + " reads " + topic).anyMatch(t -> t.name().equals(topic));
                }
                if (operations.contains("Write") && !topic.endsWith("-dlt")) {
                    assertThat(declared.writes()).as(declared.service() + " writes " + topic).anyMatch(t -> t.name().equals(topic));
                }
            });
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> acls(Map<String, Object> user) {
        return (List<Map<String, Object>>) ((Map<String, Object>) spec(user).get("authorization")).get("acls");
    }

    @SuppressWarnings("unchecked")
    private static List<String> operations(Map<String, Object> acl) {
        return (List<String>) acl.get("operations");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("spec");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> documents(String yaml) {
        return java.util.stream.StreamSupport.stream(new Yaml().loadAll(yaml).spliterator(), false)
                .map(d -> (Map<String, Object>) d).toList();
    }
}
