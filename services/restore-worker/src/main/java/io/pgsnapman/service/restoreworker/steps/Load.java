package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.activity.ActivityReporter;
import io.pgsnapman.activity.ProgressTicker;
import io.pgsnapman.events.Failure;
import io.pgsnapman.pgtools.PgConnection;
import io.pgsnapman.pgtools.PgFailures;
import io.pgsnapman.pgtools.ServerIntrospector;
import io.pgsnapman.pgtools.SqlIdentifiers;
import io.pgsnapman.pgtools.ToolCalls;
import io.pgsnapman.pgtools.ToolResult;
import io.pgsnapman.pgtools.scripts.ScriptCalls;
import io.pgsnapman.pgtools.scripts.ScriptPhase;
import io.pgsnapman.pgtools.scripts.ScriptRun;
import io.pgsnapman.repository.DumpReader;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 6 (5 of a test restore): loads the dump's data, reporting the size of the database being filled every progress
 * interval. Into a created database: {@code pg_restore} with the request's options (a schema restored through a
 * use-list). Into an existing one (TRUNCATE): in one transaction, empties the tables the dump has data for and loads the data into
 * the schema as it is ({@code pg_restore --data-only | psql --single-transaction}), so a failure rolls everything
 * back; every such table must exist on the target (SCHEMA_MISMATCH otherwise). A SCRIPT restore job's script loads
 * the dump's files instead of pg_restore (into a temporary database only).
 */
final class Load implements Step<RestoreContext> {

    private static final Logger log = LoggerFactory.getLogger(Load.class);

    private final ToolCalls tools;
    private final ServerIntrospector introspector;
    private final DumpContents contents;
    private final ProgressTicker progress;
    private final ScriptCalls scripts;
    private final ActivityReporter activity;

    Load(ToolCalls tools, ServerIntrospector introspector, DumpContents contents, ProgressTicker progress,
            ScriptCalls scripts, ActivityReporter activity) {
        this.tools = tools;
        this.introspector = introspector;
        this.contents = contents;
        this.progress = progress;
        this.scripts = scripts;
        this.activity = activity;
    }

    @Override
    public String name() {
        return "load data";
    }

    @Override
    public void run(RestoreContext restore) throws StepFailure {
        PgConnection into = restore.maintenance.withDatabase(restore.into);
        try (ProgressTicker.Ticking ticking = progress.bytes(restore.subject, "restoring", () -> sizeOf(restore, into))) {
            if (restore.scriptName != null) {
                script(restore, into);
            } else if (restore.mode.createsDatabase()) {
                pgRestore(restore, into);
            } else {
                reload(restore, into);
            }
        } catch (SQLException e) {
            throw StepFailure.failed(PgFailures.of(e));
        }
    }

    private void pgRestore(RestoreContext restore, PgConnection into) throws StepFailure {
        Path schemaList = null;
        String schema = restore.options.getSchemaName();
        if (schema != null) {
            String list = contents.of(restore.tools, restore.files())
                    .forSchema(schema, contents.of(restore.tools, restore.files(), "--schema=" + schema));
            try {
                schemaList = Files.createTempFile("pgsnapman-restore-", ".list");
                Files.writeString(schemaList, list, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the restore list of schema " + schema, e);
            }
        }
        List<String> command = DatabaseStatements.pgRestore(restore.tools.tool("pg_restore"), into.database(),
                restore.options, schemaList, restore.files());
        ToolResult result;
        try {
            result = tools.run(command, into);
        } finally {
            deleteQuietly(schemaList);
        }
        Optional<DumpReader.ChecksumMismatch> damage = restore.held.damage();
        if (damage.isPresent()) {
            throw SharedDumpFiles.damaged(restore.dump, List.of(damage.get()));
        }
        if (!result.succeeded()) {
            throw StepFailure.failed(tools.failure("pg_restore", result));
        }
    }

    /** A SCRIPT restore: the job's script reads the dump's checked files and loads them into the new database. */
    private void script(RestoreContext restore, PgConnection into) throws StepFailure {
        if (!restore.mode.viaTemporary()) {
            throw StepFailure.failed(FailureCode.INVALID_OPTIONS.failure("a SCRIPT restore loads into a temporary database;"
                    + " existingDatabase " + restore.options.getExistingDatabase() + " loads into the target itself")
                    .setField("options.existingDatabase").build());
        }
        Optional<Failure> failed = scripts.run(RunHook.contract(restore,
                ScriptRun.of(restore.scriptName, ScriptPhase.RESTORE, into), ScriptPhase.RESTORE, activity).build());
        Optional<DumpReader.ChecksumMismatch> damage = restore.held.damage();
        if (damage.isPresent()) {
            throw SharedDumpFiles.damaged(restore.dump, List.of(damage.get()));
        }
        if (failed.isPresent()) {
            throw StepFailure.failed(failed.get());
        }
    }

    private void reload(RestoreContext restore, PgConnection into) throws StepFailure, SQLException {
        List<String[]> tables = contents.of(restore.tools, restore.files()).tableData(restore.options.getSchemaName());
        List<String> missing = new ArrayList<>();
        boolean superuser;
        try (Connection c = introspector.connect(into); PreparedStatement st = c.prepareStatement("SELECT to_regclass(?)")) {
            for (String[] table : tables) {
                st.setString(1, qualified(table));
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getString(1) == null) {
                        missing.add(table[0] + "." + table[1]);
                    }
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
                superuser = rs.next() && rs.getBoolean(1);
            }
        }
        if (!missing.isEmpty()) {
            throw StepFailure.failed(FailureCode.SCHEMA_MISMATCH
                    .failure("TRUNCATE needs the dump's tables on the target; missing: " + String.join(", ", missing))
                    .setField("options.existingDatabase").build());
        }
        ToolResult result = tools.pipe(DatabaseStatements.dataOnlyRestore(restore.tools.tool("pg_restore"), superuser,
                        restore.options.getSchemaName(), restore.files()),
                DatabaseStatements.truncateAndLoad(restore.tools.tool("psql"), into.database(),
                        tables.stream().map(Load::qualified).toList()),
                into);
        if (!result.succeeded()) {
            throw StepFailure.failed(PgFailures.of(result.timedOut() ? "data load timed out after " + tools.timeout()
                    : "data load exited with " + result.exitCode() + "; the target's data is unchanged", result));
        }
    }

    private static String qualified(String[] table) {
        return SqlIdentifiers.quote(table[0]) + "." + SqlIdentifiers.quote(table[1]);
    }

    /** The size of the database being filled; -1 when it cannot be read now. */
    private long sizeOf(RestoreContext restore, PgConnection into) {
        try (Connection c = introspector.connect(into); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            log.debug("no progress for {}: {}", restore.request.getRestoreRequestId(), e.getMessage());
            return -1;
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("cannot delete {}: {}", file, e.getMessage());
            }
        }
    }
}
