package io.pgsnapman.schemas.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The compatibility gate of the build: the schemas in {@code src/main/avro} against the released ones in
 * {@code baseline/}. A failure lists each released type and field the change breaks.
 */
class ReleasedSchemasCompatibilityTest {

    @Test
    void currentSchemasReadEverythingTheReleasedOnesWrote() {
        assertThat(SchemaCompatibilityGate.parseTree(Path.of("baseline"))).isNotEmpty();
        assertThat(SchemaCompatibilityGate.check(Path.of("baseline"), Path.of("src/main/avro")))
                .as("BACKWARD-incompatible changes against the released schemas in schemas/avro/baseline")
                .isEmpty();
    }
}
