package io.pgsnapman.service.dumpworker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.dump.DumpSpec;
import io.pgsnapman.events.dump.DumpType;
import io.pgsnapman.pgtools.ServerIntrospector.TableEstimate;
import io.pgsnapman.repository.Manifest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DumpExecutorTest {

    private static final TableEstimate ITEMS = new TableEstimate("public", "items", 900);
    private static final TableEstimate LOG = new TableEstimate("audit", "log", 10);
    private static final TableEstimate TMP = new TableEstimate("scratch", "tmp", 5);

    private static DumpSpec.Builder spec() {
        return DumpSpec.newBuilder().setDumpType(DumpType.FULL).setDatabaseName("shop");
    }

    @Test
    void onlyTablesOfDumpedSchemasAreRecorded() {
        List<TableEstimate> all = List.of(ITEMS, LOG, TMP);

        assertThat(DumpExecutor.dumpedTables(all, spec().setExcludeSchemas(List.of("scratch")).build()))
                .containsExactly(ITEMS, LOG);
        assertThat(DumpExecutor.dumpedTables(all, spec().setSchemaName("audit").build())).containsExactly(LOG);
    }

    @Test
    void exactCountsReplaceEstimatesExceptForTablesWhoseDataIsLeftOut() {
        // Given counts in the dump's snapshot for both tables, and the log's data excluded
        DumpSpec spec = spec().setExcludeTableData(List.of("audit.log")).build();

        // When the manifest rows are made
        List<Manifest.TableRows> rows = DumpExecutor.tableRows(List.of(ITEMS, LOG), Map.of(ITEMS, 1234L, LOG, 10L), spec);

        // Then items has its exact count and the log keeps an estimate that no restore checks
        assertThat(rows).containsExactly(new Manifest.TableRows("public", "items", 1234, true),
                new Manifest.TableRows("audit", "log", 10, false));
    }

    @Test
    void withoutCountsTheManifestHoldsEstimates() {
        assertThat(DumpExecutor.tableRows(List.of(ITEMS), Map.of(), spec().build()))
                .containsExactly(new Manifest.TableRows("public", "items", 900, false));
    }
}
