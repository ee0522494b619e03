package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.events.restore.TableRowCheck;
import io.pgsnapman.pgtools.PgConnection;
import io.pgsnapman.pgtools.ServerIntrospector;
import io.pgsnapman.pgtools.SqlIdentifiers;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.worksteps.Step;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 10, when the request asks for it and data was restored: compares every restored table's row count with the
 * exact count recorded at dump time (only the restored schema's, when one was asked for) and puts the checks in
 * the outcome. A difference does not fail the restore — the outcome says so; a dump with planner estimates only
 * is not checked, and a check that cannot run is logged and left out.
 */
final class CheckRows implements Step<RestoreContext> {

    private static final Logger log = LoggerFactory.getLogger(CheckRows.class);

    private final ServerIntrospector introspector;

    CheckRows(ServerIntrospector introspector) {
        this.introspector = introspector;
    }

    @Override
    public String name() {
        return "check row counts";
    }

    @Override
    public void run(RestoreContext restore) {
        if (!restore.options.getVerifyRowCounts() || restore.options.getSchemaOnly()) {
            return;
        }
        List<Manifest.TableRows> expected = expected(restore.manifest, restore.options.getSchemaName());
        if (expected.isEmpty()) {
            log.info("dump {} has no exact row counts; row check skipped", restore.manifest.dumpId());
            return;
        }
        PgConnection database = restore.maintenance.withDatabase(restore.database);
        List<TableRowCheck> checks = new ArrayList<>();
        try (Connection c = introspector.connect(database); Statement st = c.createStatement()) {
            for (Manifest.TableRows table : expected) {
                checks.add(check(table, count(st, table)));
            }
        } catch (SQLException e) {
            log.warn("row check skipped: {}", e.getMessage());
            return;
        }
        restore.result.setRowChecks(checks);
        restore.result.setRowCountsMatch(allMatch(checks));
    }

    /** The tables whose exact counts the restore must reproduce. */
    static List<Manifest.TableRows> expected(Manifest manifest, String onlySchema) {
        return manifest.tables().stream()
                .filter(t -> t.exact() && (onlySchema == null || onlySchema.equals(t.schema())))
                .toList();
    }

    static TableRowCheck check(Manifest.TableRows table, long actual) {
        return TableRowCheck.newBuilder().setSchemaName(table.schema()).setTableName(table.table())
                .setExpectedRows(table.rows()).setActualRows(actual).build();
    }

    static boolean allMatch(List<TableRowCheck> checks) {
        return checks.stream().allMatch(ch -> ch.getExpectedRows() == ch.getActualRows());
    }

    /** The table's rows now; -1 when it cannot be counted (e.g. it is missing). */
    static long count(Statement st, Manifest.TableRows table) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + SqlIdentifiers.quote(table.schema()) + "."
                + SqlIdentifiers.quote(table.table()))) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }
}
