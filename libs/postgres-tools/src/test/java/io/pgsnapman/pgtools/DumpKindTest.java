package io.pgsnapman.pgtools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnapman.events.dump.DumpSpec;
import io.pgsnapman.events.dump.DumpType;
import io.pgsnapman.schemas.AvroTrust;
import io.pgsnapman.schemas.DumpFormat;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DumpKindTest {

    @BeforeAll
    static void trustEvents() {
        AvroTrust.trustEventClasses();
    }

    private static final Function<String, Path> TOOLS = name -> Path.of("/pg/bin", name);
    private static final Path TARGET = Path.of("/repo/.staging/abc");

    private static DumpSpec.Builder spec(DumpType type) {
        return DumpSpec.newBuilder().setDumpType(type).setDatabaseName(null).setParallelJobs(1).setCompressionLevel(null)
                .setSchemaName(null).setExcludeSchemas(List.of()).setExcludeTableData(List.of());
    }

    @Test
    void everyDumpTypeOfTheContractsHasExactlyOneKind() {
        assertThat(Arrays.stream(DumpType.values()).map(DumpKind::of).map(DumpKind::type)).containsExactly(DumpType.values());
    }

    @Test
    void databaseKindsAreDirectoriesRestorableAndParallelClusterKindsAreScriptsThatGiveRoles() {
        assertThat(DumpKind.values()).filteredOn(DumpKind::perDatabase)
                .containsExactly(DumpKind.FULL, DumpKind.SCHEMA_ONLY, DumpKind.SCRIPT);
        assertThat(DumpKind.values()).filteredOn(DumpKind::scripted).containsExactly(DumpKind.SCRIPT);
        assertThat(DumpKind.values()).filteredOn(DumpKind::restorableIntoDatabase)
                .containsExactly(DumpKind.FULL, DumpKind.SCHEMA_ONLY);
        assertThat(DumpKind.values()).filteredOn(DumpKind::parallel).containsExactly(DumpKind.FULL, DumpKind.SCHEMA_ONLY);
        assertThat(DumpKind.values()).filteredOn(DumpKind::rolesSource)
                .containsExactly(DumpKind.CLUSTER_SCHEMA_ONLY, DumpKind.GLOBALS);
        assertThat(DumpKind.values()).filteredOn(DumpKind::holdsData).containsExactly(DumpKind.FULL);
        assertThat(DumpKind.GLOBALS.scriptFile()).contains("globals.sql");
        assertThat(DumpKind.FULL.format()).isEqualTo(DumpFormat.DIRECTORY);
        assertThat(DumpKind.CLUSTER_SCHEMA_ONLY.format()).isEqualTo(DumpFormat.SQL);
        assertThat(DumpKind.SCRIPT.format()).isEqualTo(DumpFormat.FILES);
    }

    @Test
    void aScriptDumpHasNoToolCommandLine() {
        DumpSpec spec = spec(DumpType.SCRIPT).setDatabaseName("shop").setScriptName("export.sh").build();

        assertThatThrownBy(
                () -> DumpKind.SCRIPT.command(name -> Path.of("/usr/bin", name), spec, Path.of("/staging"), null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("written by its script");
    }

    @Test
    void aFullDumpRunsPgDumpInTheSnapshotWithEveryNameAsAnExactQuotedPattern() {
        // Given a full dump of one schema, leaving out another schema and one table's data
        DumpSpec spec = spec(DumpType.FULL).setDatabaseName("shop").setParallelJobs(4).setCompressionLevel(6)
                .setSchemaName("Sales 2026").setExcludeSchemas(List.of("we\"ird")).setExcludeTableData(List.of("audit.Log*"))
                .build();

        // When its command line is made
        List<String> command = DumpKind.FULL.command(TOOLS, spec, TARGET, "00000003-0000001B-1");

        // Then it is pg_dump's directory format, in the snapshot, with quoted patterns that match exactly
        assertThat(command).containsExactly("/pg/bin/pg_dump", "--format=directory", "--file=/repo/.staging/abc",
                "--jobs=4", "--no-password", "--snapshot=00000003-0000001B-1", "--compress=6",
                "--schema=\"Sales 2026\"", "--exclude-schema=\"we\"\"ird\"", "--exclude-table-data=\"audit\".\"Log*\"");
    }

    @Test
    void aSchemaOnlyDumpWithoutASnapshotAddsSchemaOnlyAndNoSnapshot() {
        List<String> command = DumpKind.SCHEMA_ONLY.command(TOOLS, spec(DumpType.SCHEMA_ONLY).setDatabaseName("shop").build(),
                TARGET, null);

        assertThat(command).contains("--schema-only").noneMatch(a -> a.startsWith("--snapshot"));
    }

    @Test
    void clusterKindsRunPgDumpallIntoTheirScript() {
        assertThat(DumpKind.GLOBALS.command(TOOLS, spec(DumpType.GLOBALS).build(), TARGET, null)).containsExactly(
                "/pg/bin/pg_dumpall", "--globals-only", "--no-password", "--file=/repo/.staging/abc/globals.sql");
        assertThat(DumpKind.CLUSTER_SCHEMA_ONLY.command(TOOLS, spec(DumpType.CLUSTER_SCHEMA_ONLY).build(), TARGET, null))
                .containsExactly("/pg/bin/pg_dumpall", "--schema-only", "--no-password", "--file=/repo/.staging/abc/cluster.sql");
    }
}
