package io.pgsnapman.testsupport.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.schemas.TopicSpec;
import io.pgsnapman.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class SampleEventsTest {

    static final List<TopicSpec<?>> TOPICS = Topics.ALL;

    @ParameterizedTest(name = "{0}")
    @FieldSource("TOPICS")
    void sampleSetsEveryFieldToANonDefaultValue(TopicSpec<?> topic) {
        // Given the sample of the topic's value type
        SpecificRecord sample = SampleEvents.of(topic.valueType());

        // When every field is compared with its schema default
        List<String> fieldsAtDefault = new ArrayList<>();
        for (Schema.Field field : sample.getSchema().getFields()) {
            Object value = sample.get(field.pos());
            Object defaultValue = field.hasDefaultValue() ? SpecificData.get().getDefaultValue(field) : null;
            if (value == null || Objects.equals(value, defaultValue)) {
                fieldsAtDefault.add(field.name());
            }
        }

        // Then none is left at its default, so a round trip that loses a field shows
        assertThat(fieldsAtDefault).isEmpty();
    }
}
