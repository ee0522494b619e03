package io.pgsnapman.registry.client;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CountDownLatch;
import java.util.Set;
import java.util.List;
import java.util.HashSet;
import java.util.ArrayList;
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
    void threadsOfOneServiceRegisteringTheSameNewSchemaAtOnceAllGetItsId() throws Exception {
        // Given one client shared by eight threads (as restores finishing together in one worker)
        registerAtOnce("shared", 8, true);
    }

    @Test
    void servicesRegisteringTheSameNewSchemaAtOnceAllGetItsId() throws Exception {
        // Given three clients (as three services starting together); the in-memory registry makes the losers
        // wait on a lock and answers them with a 500, so this takes a few seconds
        registerAtOnce("separate", 3, false);
    }

    /** Rounds of a new schema registered by all clients at the same moment: none fails, all get one id. */
    private void registerAtOnce(String name, int clients, boolean shared) throws Exception {
        SchemaRegistryClient one = new SchemaRegistryClient(RegistryClientSettings.builder(url).build());
        for (int round = 0; round < 3; round++) {
            String subject = "test.client.race-" + name + "-" + round + "-value";
            Schema schema = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Race" + name + round
                    + "\",\"namespace\":\"test\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> ids = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                SchemaRegistryClient own = shared ? one : new SchemaRegistryClient(RegistryClientSettings.builder(url).build());
                ids.add(pool.submit(() -> {
                    go.await();
                    return own.register(subject, schema);
                }));
            }

            // When they all register it at the same moment
            go.countDown();

            // Then none fails and all get the one id
            Set<Integer> distinct = new HashSet<>();
            for (Future<Integer> id : ids) {
                distinct.add(id.get(60, TimeUnit.SECONDS));
            }
            pool.shutdown();
            assertThat(distinct).hasSize(1);
        }
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
