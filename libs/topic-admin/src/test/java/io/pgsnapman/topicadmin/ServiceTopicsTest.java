package io.pgsnapman.topicadmin;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.schemas.Topics;
import org.junit.jupiter.api.Test;

class ServiceTopicsTest {

    @Test
    void aDeclarationListsEachTopicOnceReadsFirstInTheOrderDeclared() {
        // Given a service that reads two topics and writes one of them back and another
        ServiceTopics declared = ServiceTopics.of("worker")
                .reads(Topics.SCHEDULE_TICKS, Topics.CONFIG_SERVERS)
                .writes(Topics.DUMP_COMPLETED, Topics.SCHEDULE_TICKS);

        // Then every topic it uses is listed once, and it uses nothing else
        assertThat(declared.all()).containsExactly(Topics.SCHEDULE_TICKS, Topics.CONFIG_SERVERS, Topics.DUMP_COMPLETED);
        assertThat(declared.uses(Topics.DUMP_COMPLETED)).isTrue();
        assertThat(declared.uses(Topics.ACTIVITY)).isFalse();
        assertThat(declared.reads()).containsExactly(Topics.SCHEDULE_TICKS, Topics.CONFIG_SERVERS);
    }

    @Test
    void addingTopicsLeavesTheEarlierDeclarationAsItWas() {
        ServiceTopics base = ServiceTopics.of("worker").reads(Topics.CONFIG_SERVERS);
        ServiceTopics more = base.writes(Topics.ACTIVITY);

        assertThat(base.writes()).isEmpty();
        assertThat(more.writes()).containsExactly(Topics.ACTIVITY);
    }
}
