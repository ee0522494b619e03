package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.events.restore.TableRowCheck;
import io.pgsnapman.pgtools.PgFailures;
import io.pgsnapman.pgtools.ServerIntrospector;
import io.pgsnapman.pgtools.TableContents;
import io.pgsnapman.pgtools.ToolVersion;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.schemas.VerifyRequests;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Step 6 of a test restore: every table the dump counted exactly is counted and hashed in the scratch database the
 * way the dump did it ({@link TableContents}, output settings fixed the same way), and the checks go in the
 * outcome. Any table with another row count, another checksum, or missing, fails the verification
 * CONTENT_MISMATCH naming each. Checksums are compared when the scratch server runs the source's major version
 * (float output changed between majors) and the dump recorded one; row counts always. A dump without exact counts
 * has nothing to compare: it passes on having restored.
 */
final class CompareContents implements Step<RestoreContext> {

    private final ServerIntrospector introspector;

    CompareContents(ServerIntrospector introspector) {
        this.introspector = introspector;
    }

    @Override
    public String name() {
        return "compare table contents";
    }

    @Override
    public void run(RestoreContext restore) throws StepFailure {
        List<Manifest.TableRows> expected = CheckRows.expected(restore.manifest, restore.options.getSchemaName());
        boolean withChecksums = sameMajor(restore.manifest.serverVersion(), restore.result.getTargetServerVersion());
        List<TableRowCheck> checks = new ArrayList<>();
        try (Connection c = introspector.connect(restore.maintenance.withDatabase(restore.into));
                Statement st = c.createStatement()) {
            TableContents.normalize(st, false);
            for (Manifest.TableRows table : expected) {
                checks.add(check(table, read(st, table, withChecksums)));
            }
        } catch (SQLException e) {
            throw StepFailure.failed(PgFailures.of(e));
        }
        restore.result.setRowChecks(checks);
        restore.result.setRowCountsMatch(CheckRows.allMatch(checks));
        List<TableRowCheck> differing = differences(checks);
        if (!differing.isEmpty()) {
            throw StepFailure.failed(FailureCode.CONTENT_MISMATCH.failure(describe(differing)).build());
        }
    }

    /** The table's count and (when asked and possible) checksum now; empty when the table is missing. */
    private static Optional<TableContents.Summary> read(Statement st, Manifest.TableRows table, boolean withChecksum)
            throws SQLException {
        Optional<TableContents.Algorithm> algorithm = withChecksum ? TableContents.Algorithm.of(table.checksum())
                : Optional.empty();
        try {
            return Optional.of(algorithm.isPresent()
                    ? TableContents.read(st, table.schema(), table.table(), algorithm.get())
                    : new TableContents.Summary(CheckRows.count(st, table), null));
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return Optional.empty();
            }
            if (TableContents.UNDEFINED_FUNCTION.equals(e.getSQLState())) {
                // rows the dump did not have (it hashed none) whose types cannot be hashed by column: counts tell
                return Optional.of(new TableContents.Summary(CheckRows.count(st, table), null));
            }
            throw e;
        }
    }

    /** One table's check: expected against what was read (a missing table counts -1 rows). */
    static TableRowCheck check(Manifest.TableRows table, Optional<TableContents.Summary> actual) {
        TableRowCheck.Builder check = TableRowCheck.newBuilder(
                CheckRows.check(table, actual.map(TableContents.Summary::rows).orElse(-1L)));
        String actualChecksum = actual.map(TableContents.Summary::checksum).orElse(null);
        if (actualChecksum != null) {
            check.setExpectedChecksum(table.checksum()).setActualChecksum(actualChecksum);
        }
        return check.build();
    }

    /** The checks that differ: in row count, or in checksum where both were taken. */
    static List<TableRowCheck> differences(List<TableRowCheck> checks) {
        return checks.stream().filter(VerifyRequests::differs).toList();
    }

    /** For the failure's reason: each differing table and how. */
    static String describe(List<TableRowCheck> differing) {
        return differing.size() + (differing.size() == 1 ? " table differs" : " tables differ") + " from the dump: "
                + differing.stream().map(ch -> ch.getSchemaName() + "." + ch.getTableName() + " ("
                        + (ch.getActualRows() < 0 ? "missing"
                                : ch.getExpectedRows() != ch.getActualRows()
                                        ? ch.getActualRows() + " rows, dump had " + ch.getExpectedRows()
                                        : "same " + ch.getActualRows() + " rows, other content")
                        + ")").collect(Collectors.joining(", "));
    }

    /** Whether both version texts name the same major release (false when either is unknown). */
    static boolean sameMajor(String source, String target) {
        Optional<ToolVersion> s = ToolVersion.parseServerVersion(source);
        Optional<ToolVersion> t = ToolVersion.parseServerVersion(target);
        return s.isPresent() && t.isPresent() && s.get().sameMajor(t.get());
    }
}
