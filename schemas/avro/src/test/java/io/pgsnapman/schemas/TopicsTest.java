package io.pgsnapman.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class TopicsTest {

    static final List<TopicSpec<?>> TOPICS = Topics.ALL;

    @Test
    void everyTopicIsNamedOnceUnderThePrefix() {
        Set<String> names = Topics.ALL.stream().map(TopicSpec::name).collect(Collectors.toSet());

        assertThat(names).hasSize(Topics.ALL.size()).allMatch(n -> n.startsWith("pgsnapman."));
        assertThat(names).containsExactlyInAnyOrder(
                "pgsnapman.config.servers", "pgsnapman.config.dump-jobs", "pgsnapman.config.restore-jobs",
                "pgsnapman.schedule.ticks", "pgsnapman.dump.completed", "pgsnapman.restore.requested",
                "pgsnapman.restore.completed", "pgsnapman.catalog.events", "pgsnapman.activity",
                "pgsnapman.scheduler.progress");
    }

    @Test
    void onlyConfigurationAndProgressTopicsAreCompacted() {
        Set<String> compacted = Topics.ALL.stream()
                .filter(t -> t.cleanup() == CleanupPolicy.COMPACT)
                .map(TopicSpec::name)
                .collect(Collectors.toSet());

        assertThat(compacted).containsExactlyInAnyOrder("pgsnapman.config.servers", "pgsnapman.config.dump-jobs",
                "pgsnapman.config.restore-jobs", "pgsnapman.scheduler.progress");
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("TOPICS")
    void keyFieldIsARequiredStringOfTheValue(TopicSpec<?> topic) {
        Schema.Field key = topic.valueSchema().getField(topic.keyField());

        assertThat(key).as("field %s in %s", topic.keyField(), topic.valueType().getSimpleName()).isNotNull();
        assertThat(key.schema().getType()).isEqualTo(Schema.Type.STRING);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("TOPICS")
    void valueStartsWithTheEventHeader(TopicSpec<?> topic) {
        Schema.Field first = topic.valueSchema().getFields().get(0);

        assertThat(first.name()).isEqualTo("header");
        assertThat(first.schema().getFullName()).isEqualTo("io.pgsnapman.events.EventHeader");
    }

    @Test
    void deadLetterTopicsDeriveFromTheirTopicAndResolveBack() {
        String dlt = Topics.DUMP_COMPLETED.deadLetterTopic();

        assertThat(dlt).isEqualTo("pgsnapman.dump.completed-dlt");
        assertThat(Topics.byName(dlt)).contains(Topics.DUMP_COMPLETED);
        assertThat(Topics.byName("pgsnapman.nope")).isEmpty();
    }

    @Test
    void onlyActivityHasAShortRetention() {
        assertThat(Topics.ACTIVITY.retentionOverride()).isPresent();
        assertThat(Topics.ALL.stream().filter(t -> t.retentionOverride().isPresent())).containsExactly(Topics.ACTIVITY);
    }
}
