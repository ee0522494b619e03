package io.pgsnapman.service.dumpworker.steps;

import io.pgsnapman.events.dump.DumpSpec;
import io.pgsnapman.pgtools.PgFailures;
import io.pgsnapman.pgtools.ServerIntrospector;
import io.pgsnapman.pgtools.TableContents;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;
import java.util.List;
import java.util.Map;

/**
 * Step 9: the manifest's row count per table — exact, with its content checksum, where the snapshot's counts are
 * in, the planner's estimate otherwise — and the end of the snapshot. The dump fails here if the database's facts could not be read: the
 * tool succeeded, but the manifest would lack what a restore needs.
 */
final class CountRows implements Step<DumpContext> {

    @Override
    public String name() {
        return "count rows";
    }

    @Override
    public void run(DumpContext dump) throws StepFailure {
        if (dump.factsFailure != null) {
            throw StepFailure.failed(PgFailures.of(dump.factsFailure));
        }
        Map<ServerIntrospector.TableEstimate, TableContents.Summary> counts =
                dump.counting == null ? Map.of() : dump.counting.join();
        dump.closeSnapshot();
        dump.rows = tableRows(dump.tables, counts, dump.spec);
    }

    /**
     * Exact counts and content checksums where there are some, except for tables whose data is left out;
     * estimates otherwise.
     */
    static List<Manifest.TableRows> tableRows(List<ServerIntrospector.TableEstimate> tables,
            Map<ServerIntrospector.TableEstimate, TableContents.Summary> counts, DumpSpec spec) {
        return tables.stream().map(t -> {
            TableContents.Summary exact = spec.getExcludeTableData().contains(t.schema() + "." + t.table()) ? null
                    : counts.get(t);
            return exact == null ? new Manifest.TableRows(t.schema(), t.table(), t.rows(), false)
                    : new Manifest.TableRows(t.schema(), t.table(), exact.rows(), true, exact.checksum());
        }).toList();
    }
}
