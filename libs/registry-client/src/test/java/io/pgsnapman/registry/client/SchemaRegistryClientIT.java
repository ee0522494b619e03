package io.pgsnapman.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The registry client against the real registry. */
@WithSchemaRegistry
class SchemaRegistryClientIT {

    private static final Schema V1 = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"Sample\",\"namespace\":\"test\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
    private static final Schema V2_BREAKING = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"Sample\",\"namespace\":\"test\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
                    + "{\"name\":\"size\",\"type\":\"long\"}]}");

    private final SchemaRegistryClient client;
    private final String url;

    SchemaRegistryClientIT(SchemaRegistryServer registry) {
        this.url = registry.url();
        this.client = new SchemaRegistryClient(RegistryClientSettings.builder(url).build());
    }

    @Test
    void registeringTheSameSchemaTwiceGivesTheSameIdAndLookupFindsIt() {
        // Given a new subject
        String subject = "test.client.same-value";

        // When the same schema is registered twice and then looked up by a fresh client
        int first = client.register(subject, V1);
        int second = client.register(subject, V1);
        int looked = new SchemaRegistryClient(RegistryClientSettings.builder(url).build()).lookup(subject, V1);

        // Then all three agree and the id resolves to the schema
        assertThat(second).isEqualTo(first);
        assertThat(looked).isEqualTo(first);
        assertThat(new SchemaRegistryClient(RegistryClientSettings.builder(url).build()).schemaById(first)).isEqualTo(V1);
    }

    @Test
    void unknownSubjectIsNamedWithTheRegistryUrl() {
        // Given a subject nothing was registered under
        // When its latest version is asked for
        // Then the error names the subject and where the registry is
        assertThatThrownBy(() -> client.latest("test.client.nothing-value"))
                .isInstanceOf(SubjectNotFoundException.class)
                .hasMessageContaining("'test.client.nothing-value'")
                .hasMessageContaining(url);
    }

    @Test
    void compatibilityTestExplainsABreakingChange() {
        // Given a subject with version 1
        String subject = "test.client.compat-value";
        client.register(subject, V1);

        // When a version adding a required field is tested and registered
        CompatibilityResult result = client.testCompatibility(subject, V2_BREAKING);

        // Then it is reported incompatible with the registry's reason, and registration is refused
        assertThat(result.compatible()).isFalse();
        assertThat(String.join(" ", result.messages())).contains("size");
        assertThatThrownBy(() -> client.register(subject, V2_BREAKING))
                .isInstanceOf(IncompatibleSchemaException.class)
                .hasMessageContaining(subject);
    }

    @Test
    void subjectLevelCompatibilityOverridesTheGlobalBackwardRule() {
        // Given a subject with version 1 whose compatibility is set to FORWARD
        String subject = "test.client.forward-value";
        client.register(subject, V1);
        client.setCompatibility(subject, CompatibilityLevel.FORWARD);

        // When a version that only FORWARD allows (a required field added) is registered
        int id = client.register(subject, V2_BREAKING);

        // Then it is accepted as version 2
        RegisteredSchema latest = client.latest(subject);
        assertThat(latest.id()).isEqualTo(id);
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.schema()).isEqualTo(V2_BREAKING);
    }
}
