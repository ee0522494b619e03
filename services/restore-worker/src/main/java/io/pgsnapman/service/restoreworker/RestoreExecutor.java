package io.pgsnapman.service.restoreworker;

import io.pgsnapman.activity.ActivityReporter;
import io.pgsnapman.activity.ProgressTicker;
import io.pgsnapman.events.Failure;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.activity.ActivityLevel;
import io.pgsnapman.events.activity.SubjectType;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.restore.ExistingDatabasePolicy;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.restore.RestoreOptions;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.events.restore.RolePolicy;
import io.pgsnapman.events.restore.TableRowCheck;
import io.pgsnapman.events.restore.TablespacePolicy;
import io.pgsnapman.pgtools.CredentialResolver;
import io.pgsnapman.pgtools.DumpKind;
import io.pgsnapman.pgtools.PgConnection;
import io.pgsnapman.pgtools.PgFailures;
import io.pgsnapman.pgtools.PgToolset;
import io.pgsnapman.pgtools.ServerAccess;
import io.pgsnapman.pgtools.ServerIntrospector;
import io.pgsnapman.pgtools.SqlIdentifiers;
import io.pgsnapman.pgtools.ToolResult;
import io.pgsnapman.pgtools.ToolRunner;
import io.pgsnapman.repository.DumpReader;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.schemas.EventHeaders;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.service.restoreworker.settings.RestoreWorkerProperties;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores one verified dump into a database on a target server. Checksums are verified before anything
 * touches the target. Except with DROP_BEFORE, the dump is restored into a temporary database which then
 * takes the target's place (DROP drops the old one, RENAME keeps it under a timestamped name, LEAVE
 * refuses when the target exists), so a failed restore leaves the target as it was. TRUNCATE on an
 * existing database empties and reloads its tables' data in one transaction (on a missing one it restores
 * like DROP). The database is
 * created by PgSnapMan (template0, the dump's encoding and locale, no tablespace unless USE_TBLSPC), its own
 * ACL and settings re-applied from the manifest, and every table's row count compared with the dump's.
 */
final class RestoreExecutor {

    private static final Logger log = LoggerFactory.getLogger(RestoreExecutor.class);
    private static final String APP = "pgsnapman-restore-worker";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final ToolRunner runner = new ToolRunner();
    private final ServerAccess servers;
    final ServerIntrospector introspector = new ServerIntrospector(APP);
    private final Map<String, CompletableFuture<List<DumpReader.ChecksumMismatch>>> verifying = new ConcurrentHashMap<>();
    private final Clock clock;
    private final RestoreWorkerProperties properties;
    private final ActivityReporter activity;
    private final ProgressTicker progress = new ProgressTicker("restore-progress");

    RestoreExecutor(ActivityReporter activity, Clock clock, RestoreWorkerProperties properties) {
        this.servers = new ServerAccess(CredentialResolver.fromSystem(properties.credentialsDir()), runner,
                System.getenv().getOrDefault("PATH", ""));
        this.activity = activity;
        this.clock = clock;
        this.properties = properties;
    }

    /** Steps of a restore, reported as progress: checksums, database, data, grants and settings, row check. */
    private static final long STEPS = 5;

    private void step(RestoreRequested request, long done, String phase) {
        activity.progress(subject(request), phase, done, STEPS, "steps");
    }

    private static ActivityReporter.Subject subject(RestoreRequested request) {
        return new ActivityReporter.Subject(SubjectType.RESTORE, request.getRestoreRequestId(), request.getTargetServerId(),
                request.getRestoreJobId(), request.getHeader());
    }

    /** Runs {@code work} while reporting the size of the database being filled every progress interval. */
    private <T> T withSizeProgress(RestoreRequested request, PgConnection into, Callable<T> work) throws Exception {
        try (ProgressTicker.Ticking ticking = progress.every(properties.progressInterval(), () -> {
            try (Connection c = introspector.connect(into); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
                rs.next();
                activity.progress(subject(request), "restoring", rs.getLong(1), null, "bytes");
            } catch (SQLException | RuntimeException e) {
                log.debug("no progress for {}: {}", request.getRestoreRequestId(), e.getMessage());
            }
        })) {
            return work.call();
        }
    }

    void close() {
        progress.close();
    }

    /** Ends the restore with a failure or rejection, the target untouched unless said otherwise. */
    private static final class Stop extends Exception {
        final Outcome outcome;
        final Failure failure;

        Stop(Outcome outcome, Failure failure) {
            super(failure.getReason());
            this.outcome = outcome;
            this.failure = failure;
        }
    }

    RestoreCompleted run(RestoreRequested request, RestoreValidator.Plan plan) {
        Instant started = now();
        RestoreCompleted.Builder result = base(request, plan.dump().manifest().dumpId()).setStartedAt(started);
        activity.state(subject(request), ActivityLevel.INFO, "restore of " + plan.dump().manifest().dumpId() + " into "
                + request.getTargetDatabaseName() + " started");
        try {
            restore(request, plan, result);
            activity.state(subject(request), ActivityLevel.INFO, "restore SUCCEEDED"
                    + (Boolean.FALSE.equals(result.getRowCountsMatch()) ? ", but row counts differ" : ""));
            return result.setOutcome(Outcome.SUCCEEDED).setFinishedAt(now()).build();
        } catch (Stop stop) {
            log.warn("restore {} {}: {}", request.getRestoreRequestId(), stop.outcome, stop.failure.getReason());
            activity.state(subject(request), stop.outcome == Outcome.REJECTED ? ActivityLevel.WARN : ActivityLevel.ERROR,
                    "restore " + stop.outcome + ": " + stop.failure.getReason());
            return result.setOutcome(stop.outcome).setFailure(stop.failure).setFinishedAt(now())
                    .setStartedAt(stop.outcome == Outcome.REJECTED ? null : started).build();
        } catch (RuntimeException e) {
            log.error("restore {} failed unexpectedly", request.getRestoreRequestId(), e);
            activity.state(subject(request), ActivityLevel.ERROR, "restore FAILED: worker error: " + e.getMessage());
            return result.setOutcome(Outcome.FAILED).setFinishedAt(now())
                    .setFailure(FailureCode.WORKER_ERROR.failure("worker error: " + e.getMessage()).build()).build();
        }
    }

    private void restore(RestoreRequested request, RestoreValidator.Plan plan, RestoreCompleted.Builder result) throws Stop {
        DumpReader dump = plan.dump();
        long t0 = System.nanoTime();
        List<DumpReader.ChecksumMismatch> mismatches = verifyShared(dump);
        long t1 = System.nanoTime();
        if (!mismatches.isEmpty()) {
            throw new Stop(Outcome.FAILED, FailureCode.CHECKSUM_MISMATCH
                    .failure("dump '" + dump.manifest().dumpId() + "' is damaged: " + mismatches).build());
        }
        step(request, 1, "checksums verified");
        ServerConfig target = plan.target();
        RestoreOptions options = request.getOptions();
        String database = request.getTargetDatabaseName();
        PgConnection maintenance = connection(target, target.getMaintenanceDatabase());
        PgToolset tools = servers.tools(target);
        Manifest manifest = dump.manifest();
        long restoreNanos = 0;
        try (Connection admin = introspector.connect(maintenance)) {
            boolean exists = databaseExists(admin, database);
            ExistingDatabasePolicy policy = options.getExistingDatabase();
            if (exists && policy == ExistingDatabasePolicy.LEAVE) {
                throw new Stop(Outcome.REJECTED, FailureCode.TARGET_EXISTS
                        .failure("database '" + database + "' exists on the target and the policy is LEAVE")
                        .setField("targetDatabaseName").build());
            }
            if (options.getRoles() == RolePolicy.USE_ROLE) {
                createMissingRoles(admin, rolesOf(tools, dump, manifest), rolesFrom(plan.rolesDump()));
            }
            if (exists && policy == ExistingDatabasePolicy.TRUNCATE) {
                PgConnection existing = maintenance.withDatabase(database);
                runWithProgress(request, existing, () -> loadIntoExisting(admin, tools, existing, options, dump));
                step(request, 4, "data reloaded");
                result.setRestoredBytes(manifest.totalBytes());
                checkRowsIfAsked(target, database, manifest, options, result);
                step(request, 5, "row counts checked");
                return;
            }
            boolean direct = policy == ExistingDatabasePolicy.DROP_BEFORE;
            if (direct && exists) {
                drop(admin, database);
            }
            String into = direct ? database : temporaryName(database, request.getRestoreRequestId());
            if (!direct) {
                drop(admin, into);
            }
            create(admin, into, manifest, options);
            if (!direct) {
                markTemporary(admin, into, request.getRestoreRequestId());
            }
            step(request, 2, "database created");
            try {
                long r0 = System.nanoTime();
                PgConnection filling = maintenance.withDatabase(into);
                runWithProgress(request, filling, () -> pgRestore(tools, filling, options, dump));
                restoreNanos = System.nanoTime() - r0;
                step(request, 3, "data restored");
                if (options.getApplyDatabaseAcl()) {
                    applyAcl(admin, into, manifest);
                }
                if (options.getApplyDatabaseSettings()) {
                    applySettings(admin, into, manifest);
                }
                if (!direct) {
                    swap(admin, into, database, exists, policy, result);
                }
                step(request, 4, "grants and settings applied");
            } catch (Stop | SQLException | RuntimeException e) {
                if (!direct) {
                    dropQuietly(admin, into);
                }
                throw e;
            }
            result.setRestoredBytes(manifest.totalBytes());
        } catch (SQLException e) {
            throw new Stop(Outcome.FAILED, PgFailures.of(e));
        }
        long c0 = System.nanoTime();
        checkRowsIfAsked(target, database, manifest, options, result);
        step(request, 5, "row counts checked");
        log.info("restore {}: checksums {} ms, pg_restore {} ms, row check {} ms, in all {} ms", request.getRestoreRequestId(),
                (t1 - t0) / 1_000_000, restoreNanos / 1_000_000, (System.nanoTime() - c0) / 1_000_000,
                (System.nanoTime() - t0) / 1_000_000);
    }

    private void checkRowsIfAsked(ServerConfig target, String database, Manifest manifest, RestoreOptions options,
            RestoreCompleted.Builder result) {
        if (options.getVerifyRowCounts() && !options.getSchemaOnly()) {
            checkRows(connection(target, database), manifest, options.getSchemaName(), result);
        }
    }

    /** Work on a database whose size is reported as it grows; the work's own refusals pass through. */
    private interface DatabaseWork {
        void run() throws Stop, SQLException;
    }

    private void runWithProgress(RestoreRequested request, PgConnection database, DatabaseWork work) throws Stop, SQLException {
        try {
            withSizeProgress(request, database, () -> {
                work.run();
                return null;
            });
        } catch (Stop | SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * TRUNCATE on an existing database: in one transaction, empty the tables the dump has data for and load
     * the dump's data into the schema as it is ({@code pg_restore --data-only | psql --single-transaction}),
     * so a failure rolls everything back. Every such table must exist on the target. Data only: no -j, and
     * the database's ACL and settings stay as they are on the target.
     */
    private void loadIntoExisting(Connection admin, PgToolset tools, PgConnection into, RestoreOptions options,
            DumpReader dump) throws Stop, SQLException {
        List<String[]> tables = contents(tools, dump).tableData(options.getSchemaName());
        List<String> missing = new ArrayList<>();
        boolean superuser;
        try (Connection c = introspector.connect(into); PreparedStatement st = c.prepareStatement("SELECT to_regclass(?)")) {
            for (String[] table : tables) {
                st.setString(1, ident(table[0]) + "." + ident(table[1]));
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
            throw new Stop(Outcome.FAILED, FailureCode.SCHEMA_MISMATCH
                    .failure("TRUNCATE needs the dump's tables on the target; missing: " + String.join(", ", missing))
                    .setField("options.existingDatabase").build());
        }
        List<String> restore = new ArrayList<>(List.of(tools.tool("pg_restore").toString(), "--data-only", "--file=-"));
        if (superuser) {
            restore.add("--disable-triggers"); // foreign keys are not checked row by row while loading
        }
        if (options.getSchemaName() != null) {
            restore.add("--schema=" + options.getSchemaName());
        }
        restore.add(dump.directory().toString());
        List<String> psql = new ArrayList<>(List.of(tools.tool("psql").toString(), "--no-psqlrc", "--quiet", "--no-password",
                "--set=ON_ERROR_STOP=1", "--single-transaction", "--dbname=" + into.database()));
        if (!tables.isEmpty()) {
            psql.add("--command=TRUNCATE TABLE " + String.join(", ", tables.stream()
                    .map(t -> ident(t[0]) + "." + ident(t[1])).toList()));
        }
        psql.add("--file=-");
        ToolResult result = runner.pipe(restore, psql, into.environment(APP), properties.toolTimeout());
        if (!result.succeeded()) {
            throw new Stop(Outcome.FAILED, PgFailures.of(result.timedOut() ? "data load timed out"
                    : "data load exited with " + result.exitCode() + "; the target's data is unchanged", result));
        }
    }

    /** The dump's table of contents, as {@code pg_restore --list} with {@code selection} prints it. */
    private TableOfContents contents(PgToolset tools, DumpReader dump, String... selection) throws Stop {
        List<String> command = new ArrayList<>(List.of(tools.tool("pg_restore").toString(), "--list"));
        command.addAll(List.of(selection));
        command.add(dump.directory().toString());
        ToolResult list = runner.run(command, Map.of(), Duration.ofMinutes(10), null);
        if (!list.succeeded()) {
            throw new Stop(Outcome.FAILED, FailureCode.UNREADABLE_DUMP.failure("pg_restore --list cannot read the dump")
                    .setStderrExcerpt(list.stderr()).build());
        }
        return TableOfContents.parse(list.stdout());
    }

    /**
     * Re-reads the dump's files against the manifest. Restores of the same dump that start together (a
     * fan-out) share one reading that runs while they wait, instead of each hashing every file again; a
     * restore starting after that reading ended reads again.
     */
    private List<DumpReader.ChecksumMismatch> verifyShared(DumpReader dump) {
        String key = dump.manifest().dumpId() + "@" + dump.manifestSha256();
        CompletableFuture<List<DumpReader.ChecksumMismatch>> mine = new CompletableFuture<>();
        CompletableFuture<List<DumpReader.ChecksumMismatch>> running = verifying.putIfAbsent(key, mine);
        if (running != null) {
            return running.join();
        }
        try {
            mine.complete(dump.verify());
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
        } finally {
            verifying.remove(key, mine);
        }
        return mine.join();
    }

    private void pgRestore(PgToolset tools, PgConnection into, RestoreOptions options, DumpReader dump) throws Stop {
        Path schemaList = null;
        if (options.getSchemaName() != null) {
            String schema = options.getSchemaName();
            String list = contents(tools, dump).forSchema(schema, contents(tools, dump, "--schema=" + schema));
            try {
                schemaList = Files.createTempFile("pgsnapman-restore-", ".list");
                Files.writeString(schemaList, list, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the restore list of schema " + schema, e);
            }
        }
        List<String> command = DatabaseStatements.pgRestore(tools.tool("pg_restore"), into.database(), options,
                schemaList, dump.directory());
        ToolResult result;
        try {
            result = runner.run(command, into.environment(APP), properties.toolTimeout(), null);
        } finally {
            deleteQuietly(schemaList);
        }
        if (!result.succeeded()) {
            throw new Stop(Outcome.FAILED, PgFailures.of(result.timedOut() ? "pg_restore timed out"
                    : "pg_restore exited with " + result.exitCode(), result));
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

    /** Roles the dump refers to: the database owner, its ACL's grantees, and the owners in the dump's table of contents. */
    private Set<String> rolesOf(PgToolset tools, DumpReader dump, Manifest manifest) throws Stop {
        Set<String> roles = new LinkedHashSet<>();
        if (manifest.database() != null) {
            roles.add(manifest.database().owner());
            manifest.database().acl().forEach(item -> DatabaseStatements.grantee(item).ifPresent(roles::add));
        }
        roles.addAll(contents(tools, dump).owners());
        return roles;
    }

    /** The role definitions of a GLOBALS or CLUSTER_SCHEMA_ONLY dump, checksums verified first. */
    private GlobalRoles rolesFrom(DumpReader rolesDump) throws Stop {
        if (rolesDump == null) {
            return GlobalRoles.none();
        }
        List<DumpReader.ChecksumMismatch> mismatches = rolesDump.verify();
        if (!mismatches.isEmpty()) {
            throw new Stop(Outcome.FAILED, FailureCode.CHECKSUM_MISMATCH
                    .failure("dump '" + rolesDump.manifest().dumpId() + "' is damaged: " + mismatches)
                    .setField("options.rolesFromDumpId").build());
        }
        String file = DumpKind.of(rolesDump.manifest().dumpType()).scriptFile().orElseThrow();
        try {
            return GlobalRoles.parse(Files.readString(rolesDump.directory().resolve(file), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Stop(Outcome.FAILED, FailureCode.UNREADABLE_DUMP
                    .failure("cannot read " + file + " of '" + rolesDump.manifest().dumpId() + "': " + e.getMessage())
                    .setField("options.rolesFromDumpId").build());
        }
    }

    /**
     * Creates the roles the dump needs and the target lacks: as defined in the roles dump when it has them
     * (safe attributes and memberships only, see {@link GlobalRoles}), otherwise NOLOGIN.
     */
    private static void createMissingRoles(Connection admin, Set<String> roles, GlobalRoles definitions) throws SQLException {
        List<String> created = new ArrayList<>();
        for (String role : roles) {
            if (!roleExists(admin, role)) {
                String create = definitions.createStatement(role).orElse("CREATE ROLE " + ident(role) + " NOLOGIN");
                try (Statement st = admin.createStatement()) {
                    st.execute(create);
                }
                created.add(role);
                log.info("created role {} needed by the dump: {}", role, create);
            }
        }
        for (String role : created) {
            for (GlobalRoles.Membership m : definitions.membershipsOf(role)) {
                if (roleExists(admin, m.group()) && roleExists(admin, m.member())) {
                    try (Statement st = admin.createStatement()) {
                        st.execute(GlobalRoles.grantStatement(m));
                    }
                }
            }
        }
    }

    private void create(Connection admin, String name, Manifest manifest, RestoreOptions options) throws SQLException {
        Manifest.DatabaseInfo info = manifest.database();
        boolean withOwner = info != null && options.getRoles() == RolePolicy.USE_ROLE && roleExists(admin, info.owner());
        boolean withTablespace = info != null && options.getTablespaces() == TablespacePolicy.USE_TBLSPC
                && !"pg_default".equals(info.tablespace()) && tablespaceExists(admin, info.tablespace());
        try (Statement st = admin.createStatement()) {
            st.execute(DatabaseStatements.createDatabase(name, info, withOwner, withTablespace));
        }
    }

    /** Re-applies the database's own privileges from the manifest (they are not in a single-database dump). */
    private void applyAcl(Connection admin, String database, Manifest manifest) throws SQLException {
        if (manifest.database() == null) {
            return;
        }
        List<String> statements;
        try {
            statements = DatabaseStatements.acl(database, manifest.database().acl(), role -> {
                try {
                    return roleExists(admin, role);
                } catch (SQLException e) {
                    throw new UncheckedSqlException(e);
                }
            });
        } catch (UncheckedSqlException e) {
            throw e.getCause();
        }
        execute(admin, statements);
    }

    private void applySettings(Connection admin, String database, Manifest manifest) throws SQLException {
        if (manifest.database() != null) {
            execute(admin, DatabaseStatements.settings(database, manifest.database().settings()));
        }
    }

    private static void execute(Connection admin, List<String> statements) throws SQLException {
        try (Statement st = admin.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /** A check that failed inside a callback that may not throw {@link SQLException}. */
    private static final class UncheckedSqlException extends RuntimeException {
        UncheckedSqlException(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    private void swap(Connection admin, String restored, String target, boolean exists, ExistingDatabasePolicy policy,
            RestoreCompleted.Builder result) throws SQLException {
        if (exists) {
            if (policy == ExistingDatabasePolicy.RENAME) {
                String kept = truncate(target, 46) + "_" + STAMP.format(now());
                terminate(admin, target);
                try (Statement st = admin.createStatement()) {
                    st.execute("ALTER DATABASE " + ident(target) + " RENAME TO " + ident(kept));
                }
                result.setPreviousDatabaseRenamedTo(kept);
            } else {
                drop(admin, target);
            }
        }
        terminate(admin, restored);
        try (Statement st = admin.createStatement()) {
            st.execute("ALTER DATABASE " + ident(restored) + " RENAME TO " + ident(target));
            st.execute("COMMENT ON DATABASE " + ident(target) + " IS NULL");
        }
    }

    /**
     * A temporary database names, in its comment, the lease of the request filling it, so that
     * {@link TemporaryDatabaseSweeper} can drop it once that lease is stale (its worker crashed).
     */
    private static void markTemporary(Connection admin, String database, String requestId) throws SQLException {
        try (Statement st = admin.createStatement()) {
            st.execute("COMMENT ON DATABASE " + ident(database) + " IS "
                    + literal(TemporaryDatabaseSweeper.MARK + RestoreAnswers.recordName(requestId)));
        }
    }

    /**
     * Compares every restored table's row count with the exact count recorded at dump time (only the restored
     * schema's, when one was asked for). A dump with planner estimates only is not checked.
     */
    private void checkRows(PgConnection connection, Manifest manifest, String onlySchema, RestoreCompleted.Builder result) {
        List<Manifest.TableRows> expected = manifest.tables().stream()
                .filter(t -> t.exact() && (onlySchema == null || onlySchema.equals(t.schema())))
                .toList();
        if (expected.isEmpty()) {
            log.info("dump {} has no exact row counts; row check skipped", manifest.dumpId());
            return;
        }
        List<TableRowCheck> checks = new ArrayList<>();
        try (Connection c = introspector.connect(connection); Statement st = c.createStatement()) {
            for (Manifest.TableRows table : expected) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + ident(table.schema()) + "." + ident(table.table()))) {
                    rs.next();
                    checks.add(TableRowCheck.newBuilder().setSchemaName(table.schema()).setTableName(table.table())
                            .setExpectedRows(table.rows()).setActualRows(rs.getLong(1)).build());
                } catch (SQLException e) {
                    checks.add(TableRowCheck.newBuilder().setSchemaName(table.schema()).setTableName(table.table())
                            .setExpectedRows(table.rows()).setActualRows(-1).build());
                }
            }
        } catch (SQLException e) {
            log.warn("row check skipped: {}", e.getMessage());
            return;
        }
        result.setRowChecks(checks);
        result.setRowCountsMatch(checks.stream().allMatch(ch -> ch.getExpectedRows() == ch.getActualRows()));
    }

    private static boolean databaseExists(Connection admin, String name) throws SQLException {
        return exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", name);
    }

    private static boolean roleExists(Connection admin, String name) throws SQLException {
        return exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", name);
    }

    private static boolean tablespaceExists(Connection admin, String name) throws SQLException {
        return exists(admin, "SELECT 1 FROM pg_tablespace WHERE spcname = ?", name);
    }

    private static boolean exists(Connection admin, String sql, String value) throws SQLException {
        try (PreparedStatement st = admin.prepareStatement(sql)) {
            st.setString(1, value);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void terminate(Connection admin, String database) throws SQLException {
        try (PreparedStatement st = admin.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            st.setString(1, database);
            st.executeQuery().close();
        }
    }

    static void drop(Connection admin, String database) throws SQLException {
        terminate(admin, database);
        try (Statement st = admin.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + ident(database));
        }
    }

    private static void dropQuietly(Connection admin, String database) {
        try {
            drop(admin, database);
        } catch (SQLException e) {
            log.error("could not drop temporary database {}: {}", database, e.getMessage());
        }
    }

    /** A temporary database name derived from the target and the request (at most 63 characters). */
    static String temporaryName(String target, String requestId) {
        String suffix = "_pgsnapman_" + Integer.toHexString(requestId.hashCode() & 0x7fffffff);
        return truncate(target, 63 - suffix.length()) + suffix;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static String ident(String name) {
        return SqlIdentifiers.quote(name);
    }

    private static String literal(String value) {
        return SqlIdentifiers.literal(value);
    }

    private RestoreCompleted.Builder base(RestoreRequested request, String dumpId) {
        return RestoreCompleted.newBuilder()
                .setHeader(EventHeaders.following(request.getHeader(), "restore-worker/" + properties.instanceId(), clock))
                .setRestoreRequestId(request.getRestoreRequestId())
                .setDumpId(dumpId)
                .setTargetServerId(request.getTargetServerId())
                .setTargetDatabaseName(request.getTargetDatabaseName())
                .setOptions(request.getOptions())
                .setTrigger(request.getTrigger())
                .setRestoreJobId(request.getRestoreJobId())
                .setWorkerId(properties.instanceId());
    }

    /** Reports that a failed attempt is tried again after {@code wait}. */
    void retrying(RestoreRequested request, int attempt, int attempts, Failure failure, Duration wait) {
        log.warn("restore {}: attempt {} of {} FAILED ({}: {}); trying again in {}", request.getRestoreRequestId(), attempt,
                attempts, failure.getCode(), failure.getReason(), wait);
        activity.state(subject(request), ActivityLevel.WARN, "attempt " + attempt + " of " + attempts + " FAILED with a"
                + " retriable error (" + failure.getCode() + "); trying again in " + wait.toSeconds() + " s");
    }

    /** The answer to a request refused before any work. */
    RestoreCompleted rejected(RestoreRequested request, Failure why) {
        log.warn("restore {} REJECTED ({}): {}", request.getRestoreRequestId(), why.getCode(), why.getReason());
        activity.state(subject(request), ActivityLevel.WARN, "restore REJECTED: " + why.getReason());
        return base(request, request.getDumpId()).setOutcome(Outcome.REJECTED).setFailure(why).setFinishedAt(now()).build();
    }

    PgConnection connection(ServerConfig server, String database) {
        return servers.connection(server, database);
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }
}
