package io.pgsnapman.service.dumpworker.steps;

import io.pgsnapman.events.dump.DumpSpec;
import io.pgsnapman.pgtools.DumpKind;
import io.pgsnapman.pgtools.ExportedSnapshot;
import io.pgsnapman.pgtools.ServerIntrospector;
import io.pgsnapman.worksteps.Step;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Step 5: pins what the dump will hold and lists its tables. With exact row counts, the tables are listed in a
 * snapshot exported to pg_dump, so the counts taken in it are exactly the rows in the dump, which a restore must
 * reproduce; otherwise the tables are listed with the planner's estimates. Undo aborts the snapshot at once (a
 * count may still run, or wait on a lock, on the counting thread).
 */
final class ExportSnapshot implements Step<DumpContext> {

    private final ServerIntrospector introspector;
    private final boolean exactRowCounts;

    ExportSnapshot(ServerIntrospector introspector, boolean exactRowCounts) {
        this.introspector = introspector;
        this.exactRowCounts = exactRowCounts;
    }

    @Override
    public String name() {
        return "export snapshot";
    }

    /** Whether a dump of this kind is counted in an exported snapshot. */
    static boolean wanted(DumpKind kind, boolean exactRowCounts) {
        return kind.perDatabase() && kind.holdsData() && exactRowCounts;
    }

    @Override
    public void run(DumpContext dump) {
        if (!dump.kind.perDatabase() || dump.kind.scripted() || dump.factsFailure != null) {
            return; // a script chooses what it dumps: no table of the database is known to be in it
        }
        try {
            Connection c = introspector.connect(dump.maintenance.withDatabase(dump.spec.getDatabaseName()));
            if (wanted(dump.kind, exactRowCounts)) {
                dump.snapshot = export(c);
                dump.tables = dumpedTables(introspector.tableEstimates(dump.snapshot.connection()), dump.spec);
            } else {
                try (c) {
                    dump.tables = dumpedTables(introspector.tableEstimates(c), dump.spec);
                }
            }
        } catch (SQLException e) {
            dump.factsFailure = e;
        }
    }

    private static ExportedSnapshot export(Connection c) throws SQLException {
        try {
            return ExportedSnapshot.export(c);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public void undo(DumpContext dump) {
        dump.abortSnapshot();
    }

    /** The tables whose definitions are in the dump (pg_dump's --schema and --exclude-schema applied). */
    static List<ServerIntrospector.TableEstimate> dumpedTables(List<ServerIntrospector.TableEstimate> all, DumpSpec spec) {
        return all.stream()
                .filter(t -> spec.getSchemaName() == null || spec.getSchemaName().equals(t.schema()))
                .filter(t -> !spec.getExcludeSchemas().contains(t.schema()))
                .toList();
    }
}
