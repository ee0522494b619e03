package io.pgsnapman.schemas.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate itself, on fixture schemas: it passes compatible evolution and fails breaking changes by name. */
class SchemaCompatibilityGateTest {

    @Test
    void addingOptionalFieldsPasses() {
        assertThat(SchemaCompatibilityGate.check(fixture("baseline"), fixture("compatible"))).isEmpty();
    }

    @Test
    void addingARequiredNestedFieldFailsNamingRecordAndField() {
        // Given a release whose nested record gains a field without a default
        // When the gate runs
        List<String> problems = SchemaCompatibilityGate.check(fixture("baseline"), fixture("breaking"));

        // Then it names the record and the nested field
        assertThat(problems).singleElement().asString()
                .startsWith("fixture.Sample: field 'failure.exitCode'")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    }

    @Test
    void changingAFieldTypeFailsNamingRecordAndField() {
        List<String> problems = SchemaCompatibilityGate.check(fixture("baseline"), fixture("type-change"));

        assertThat(problems).singleElement().asString()
                .startsWith("fixture.Sample: field 'id'")
                .contains("TYPE_MISMATCH");
    }

    @Test
    void removingAReleasedTypeFails(@TempDir Path current) throws IOException {
        // Given the current schemas lack the released enum Unit (and Sample no longer uses it)
        Files.writeString(current.resolve("Sample.avsc"),
                "{\"type\":\"record\",\"name\":\"Sample\",\"namespace\":\"fixture\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");

        // When the gate runs
        List<String> problems = SchemaCompatibilityGate.check(fixture("baseline"), current);

        // Then the removal is named
        assertThat(problems).contains("fixture.Unit: released type was removed");
    }

    @Test
    void deliberatelyBrokenEventSchemaFailsTheGate(@TempDir Path current) throws IOException {
        // Given our real schemas, with DumpCompleted given a new field that has no default
        Path sources = Path.of("src/main/avro");
        try (var files = Files.walk(sources)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".avsc")).toList()) {
                String text = Files.readString(file);
                if (file.getFileName().toString().equals("DumpCompleted.avsc")) {
                    text = text.replaceFirst("\"fields\": \\[",
                            "\"fields\": [ {\"name\": \"checksumAlgorithm\", \"type\": \"string\"},");
                }
                Files.writeString(current.resolve(file.getFileName()), text);
            }
        }

        // When the gate checks them against the released baseline
        List<String> problems = SchemaCompatibilityGate.check(Path.of("baseline"), current);

        // Then the build would fail naming the record and the field
        assertThat(problems).singleElement().asString()
                .startsWith("io.pgsnapman.events.dump.DumpCompleted: field 'checksumAlgorithm'");
    }

    private static Path fixture(String name) {
        try {
            return Path.of(SchemaCompatibilityGateTest.class.getResource("/compat/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
