package io.pgsnapman.topicadmin;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.schemas.Topics;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.WithKafka;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

@WithKafka
class TopicProvisionerIT {

    @Test
    void createsEveryTopicWithItsPolicyAndItsDeadLetterTopicAndIsIdempotent(KafkaBroker broker) throws Exception {
        // Given a provisioner for the broker
        Map<String, Object> props = Map.of("bootstrap.servers", broker.bootstrapServers());
        TopicProvisioner provisioner = new TopicProvisioner(props, 2, (short) 1);

        // When it ensures the whole topic table, twice
        provisioner.ensure(Topics.ALL);
        provisioner.ensure(Topics.ALL);

        // Then config topics are compacted, activity has its retention, and dead-letter topics exist
        try (Admin admin = Admin.create(props)) {
            assertThat(admin.listTopics().names().get()).contains(
                    Topics.CONFIG_SERVERS.name(), Topics.CONFIG_SERVERS.deadLetterTopic(), Topics.ACTIVITY.name());
            ConfigResource servers = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CONFIG_SERVERS.name());
            ConfigResource activity = new ConfigResource(ConfigResource.Type.TOPIC, Topics.ACTIVITY.name());
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(servers, activity)).all().get();
            assertThat(configs.get(servers).get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(configs.get(activity).get("cleanup.policy").value()).isEqualTo("delete");
            assertThat(configs.get(activity).get("retention.ms").value()).isEqualTo(Long.toString(3L * 24 * 3600 * 1000));
            assertThat(admin.describeTopics(List.of(Topics.DUMP_COMPLETED.name())).allTopicNames().get()
                    .get(Topics.DUMP_COMPLETED.name()).partitions()).hasSize(2);
            assertThat(admin.describeTopics(List.of(Topics.SCHEDULER_PROGRESS.name())).allTopicNames().get()
                    .get(Topics.SCHEDULER_PROGRESS.name()).partitions()).hasSize(1);
        }
    }
}
