package io.pgsnapman.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Rules every event schema follows, checked over the whole tree of types each topic's value uses. */
class EventSchemasTest {

    static final List<TopicSpec<?>> TOPICS = Topics.ALL;

    @ParameterizedTest(name = "{0}")
    @FieldSource("TOPICS")
    void everyOptionalFieldDefaultsToNull(TopicSpec<?> topic) {
        List<String> offenders = new ArrayList<>();
        for (Schema.Field field : fieldsOf(topic.valueSchema())) {
            Schema type = field.schema();
            if (type.getType() == Schema.Type.UNION && type.getTypes().get(0).getType() == Schema.Type.NULL
                    && !(field.hasDefaultValue() && field.defaultVal() == org.apache.avro.JsonProperties.NULL_VALUE)) {
                offenders.add(field.name());
            }
        }
        assertThat(offenders).as("nullable fields without default null").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("TOPICS")
    void noFieldCarriesASecret(TopicSpec<?> topic) {
        List<String> suspicious = fieldsOf(topic.valueSchema()).stream()
                .map(Schema.Field::name)
                .filter(n -> {
                    String lower = n.toLowerCase(Locale.ROOT);
                    return lower.contains("password") || lower.contains("secret") || lower.contains("token");
                })
                .toList();
        assertThat(suspicious).as("credentials are resolved on the worker, never carried in events").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("TOPICS")
    void everyFieldIsDocumented(TopicSpec<?> topic) {
        List<String> undocumented = fieldsOf(topic.valueSchema()).stream()
                .filter(f -> f.doc() == null || f.doc().isBlank())
                .map(Schema.Field::name)
                .toList();
        assertThat(undocumented).isEmpty();
    }

    /** Every field of the record and of the records it contains. */
    private static List<Schema.Field> fieldsOf(Schema root) {
        List<Schema.Field> fields = new ArrayList<>();
        collect(root, fields, new HashSet<>());
        return fields;
    }

    private static void collect(Schema schema, List<Schema.Field> fields, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    for (Schema.Field field : schema.getFields()) {
                        fields.add(field);
                        collect(field.schema(), fields, seen);
                    }
                }
            }
            case UNION -> schema.getTypes().forEach(t -> collect(t, fields, seen));
            case ARRAY -> collect(schema.getElementType(), fields, seen);
            case MAP -> collect(schema.getValueType(), fields, seen);
            default -> {
                // primitives and enums have no fields
            }
        }
    }
}
