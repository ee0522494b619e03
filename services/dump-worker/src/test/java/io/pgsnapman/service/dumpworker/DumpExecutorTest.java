package io.pgsnapman.service.dumpworker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.dump.DumpSpec;
import io.pgsnapman.events.dump.DumpType;
import io.pgsnapman.testsupport.events.SampleEvents;
import org.junit.jupiter.api.Test;

class DumpExecutorTest {

    private static DumpRequested tick(DumpType type, String database) {
        return DumpRequested.newBuilder(SampleEvents.dumpRequested())
                .setSpec(DumpSpec.newBuilder().setDumpType(type).setDatabaseName(database).build()).build();
    }

    @Test
    void aPerDatabaseDumpWithoutADatabaseNameIsAnInvalidSpec() {
        assertThat(DumpExecutor.invalidSpec(tick(DumpType.FULL, null))).get()
                .satisfies(f -> {
                    assertThat(f.getCode()).isEqualTo("INVALID_SPEC");
                    assertThat(f.getReason()).isEqualTo("dump type FULL needs a database name");
                });
    }

    @Test
    void aClusterDumpNeedsNoDatabaseNameAndADatabaseDumpWithOneIsValid() {
        assertThat(DumpExecutor.invalidSpec(tick(DumpType.GLOBALS, null))).isEmpty();
        assertThat(DumpExecutor.invalidSpec(tick(DumpType.SCHEMA_ONLY, "shop"))).isEmpty();
    }
}
