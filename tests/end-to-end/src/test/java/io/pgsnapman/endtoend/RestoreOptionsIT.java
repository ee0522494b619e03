package io.pgsnapman.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.config.SslMode;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.dump.DumpSpec;
import io.pgsnapman.events.dump.DumpTrigger;
import io.pgsnapman.events.dump.DumpType;
import io.pgsnapman.events.restore.ExistingDatabasePolicy;
import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.events.restore.RestoreOptions;
import io.pgsnapman.events.restore.RestoreRequested;
import io.pgsnapman.events.restore.RestoreTrigger;
import io.pgsnapman.events.restore.RolePolicy;
import io.pgsnapman.events.restore.TablespacePolicy;
import io.pgsnapman.schemas.Topics;
import io.pgsnapman.testsupport.KafkaBroker;
import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.SchemaRegistryServer;
import io.pgsnapman.testsupport.ServiceApps;
import io.pgsnapman.testsupport.WithKafka;
import io.pgsnapman.testsupport.WithPostgres;
import io.pgsnapman.testsupport.WithSchemaRegistry;
import io.pgsnapman.testsupport.events.SampleEvents;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every restore option against real servers: a source database owned by its own role, in its own
 * tablespace, with database-level grants and settings, dumped by the real dump-worker (a FULL dump and a
 * GLOBALS dump), restored by the real restore-worker onto a server that has neither the roles nor the
 * tablespace. The tests that create roles (USE_ROLE) restore to targets of their own, so no test depends on
 * another having run first: the shared target never gets the owner role.
 */
@WithKafka
@WithSchemaRegistry
@WithPostgres(servers = 4)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreOptionsIT {

    private static final String FULL = "job-shop/20260601T020000Z";
    private static final String GLOBALS = "job-globals/20260601T020000Z";

    private final KafkaBroker broker;
    private final SchemaRegistryServer registry;
    private final PostgresServer source;
    private final PostgresServer target;
    private final PostgresServer rolesTarget;
    private final PostgresServer ledgerTarget;
    private final List<ServiceApps.Running> services = new ArrayList<>();
    private Stack stack;

    RestoreOptionsIT(KafkaBroker broker, SchemaRegistryServer registry, PostgresServers servers) {
        this.broker = broker;
        this.registry = registry;
        this.source = servers.get(0);
        this.target = servers.get(1);
        this.rolesTarget = servers.get(2);
        this.ledgerTarget = servers.get(3);
    }

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        stack = new Stack(broker, registry, source, work, Clock.systemUTC());
        // Given a source database with its own owner, tablespace, grants, settings and data, one table elsewhere
        Path location = source.newTablespaceLocation("fast");
        Path archive = source.newTablespaceLocation("archive");
        try (Connection c = source.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE shop_owner LOGIN PASSWORD 'production-secret' CONNECTION LIMIT 7");
            st.execute("CREATE ROLE reporting NOLOGIN");
            st.execute("GRANT reporting TO shop_owner");
            st.execute("CREATE TABLESPACE fast LOCATION '" + location + "'");
            st.execute("CREATE TABLESPACE archive LOCATION '" + archive + "'");
            st.execute("GRANT CREATE ON TABLESPACE archive TO shop_owner");
            st.execute("CREATE DATABASE shop OWNER shop_owner TABLESPACE fast");
            st.execute("REVOKE CONNECT ON DATABASE shop FROM PUBLIC");
            st.execute("GRANT CONNECT ON DATABASE shop TO reporting");
            st.execute("ALTER DATABASE shop SET work_mem = '12MB'");
        }
        try (Connection c = source.connect("shop"); Statement st = c.createStatement()) {
            st.execute("SET ROLE shop_owner");
            st.execute("CREATE TABLE customers (id int PRIMARY KEY, name text)");
            st.execute("CREATE TABLE orders (id int PRIMARY KEY, customer int REFERENCES customers, total numeric)");
            st.execute("INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 300) g");
            st.execute("INSERT INTO orders SELECT g, 1 + g % 300, g * 2.5 FROM generate_series(1, 2000) g");
            st.execute("CREATE TABLE old_orders TABLESPACE archive AS SELECT * FROM orders WHERE id <= 100");
            st.execute("CREATE SCHEMA ledger");
            st.execute("COMMENT ON SCHEMA ledger IS 'money in and out'");
            st.execute("GRANT USAGE ON SCHEMA ledger TO reporting");
            st.execute("CREATE TABLE ledger.entries (id int PRIMARY KEY, amount numeric)");
            st.execute("INSERT INTO ledger.entries SELECT g, g * 0.5 FROM generate_series(1, 500) g");
        }
        stack.credential("source", source.password());
        stack.credential("target", target.password());
        stack.credential("roles-target", rolesTarget.password());
        stack.credential("ledger-target", ledgerTarget.password());
        stack.publish(Topics.CONFIG_SERVERS.name(), "srv-source", server("srv-source", source, "source"));
        stack.publish(Topics.CONFIG_SERVERS.name(), "srv-target", server("srv-target", target, "target"));
        stack.publish(Topics.CONFIG_SERVERS.name(), "srv-roles", server("srv-roles", rolesTarget, "roles-target"));
        stack.publish(Topics.CONFIG_SERVERS.name(), "srv-ledger", server("srv-ledger", ledgerTarget, "ledger-target"));
        services.add(stack.dumpWorker("dump-1"));
        services.add(stack.restoreWorker("restore-1"));
        // and a FULL dump of it and a GLOBALS dump of its server, taken by the dump-worker
        dump(FULL, DumpType.FULL, "shop");
        dump(GLOBALS, DumpType.GLOBALS, null);
    }

    @AfterAll
    void stop() {
        services.forEach(ServiceApps.Running::close);
    }

    private static ServerConfig server(String id, PostgresServer pg, String credential) {
        return ServerConfig.newBuilder(SampleEvents.serverConfig()).setServerId(id).setName(id).setHost(pg.host())
                .setPort(pg.port()).setUsername("postgres").setMaintenanceDatabase("postgres").setCredentialRef(credential)
                .setSslMode(SslMode.DISABLE).setWorkerPool("default").setPgBinDir(null).setAllowDumps(true)
                .setAllowRestores(true).setMaxConcurrentDumps(2).build();
    }

    private void dump(String dumpId, DumpType type, String database) throws Exception {
        DumpRequested tick = DumpRequested.newBuilder(SampleEvents.dumpRequested())
                .setDumpId(dumpId).setDumpJobId(dumpId.substring(0, dumpId.indexOf('/'))).setServerId("srv-source")
                .setWorkerPool("default").setTrigger(DumpTrigger.AD_HOC).setNotBefore(null)
                .setScheduledAt(Instant.parse("2026-06-01T02:00:00Z")).setVerify(true).setPin(false)
                .setSpec(DumpSpec.newBuilder().setDumpType(type).setDatabaseName(database).setParallelJobs(2).build())
                .build();
        stack.publish(Topics.SCHEDULE_TICKS.name(), "srv-source", tick);
        DumpCompleted done = stack.<DumpCompleted>awaitValues(Topics.DUMP_COMPLETED.name(), tick.getDumpJobId(), 1).get(0);
        assertThat(done.getOutcome()).as(String.valueOf(done.getFailure())).isEqualTo(Outcome.SUCCEEDED);
    }

    private RestoreCompleted restore(String database, RestoreOptions.Builder options) throws Exception {
        return restore("srv-target", database, options);
    }

    private RestoreCompleted restore(String serverId, String database, RestoreOptions.Builder options) throws Exception {
        String id = "r-" + database + "-" + UUID.randomUUID();
        stack.publish(Topics.RESTORE_REQUESTED.name(), serverId, RestoreRequested.newBuilder()
                .setHeader(SampleEvents.header()).setRestoreRequestId(id).setDumpId(FULL).setSourceDumpJobId(null)
                .setTargetServerId(serverId).setTargetDatabaseName(database).setOptions(options.build())
                .setTrigger(RestoreTrigger.EXTERNAL).setRestoreJobId(null).setRequestedBy("restore-options-it").build());
        return stack.<RestoreCompleted>awaitValues(Topics.RESTORE_COMPLETED.name(), id, 1).get(0);
    }

    private static RestoreOptions.Builder options(ExistingDatabasePolicy policy, RolePolicy roles) {
        return RestoreOptions.newBuilder().setExistingDatabase(policy).setRoles(roles)
                .setTablespaces(TablespacePolicy.NO_TBLSPC).setParallelJobs(2);
    }

    private static void assertSucceeded(RestoreCompleted outcome) {
        assertThat(outcome.getOutcome()).as(String.valueOf(outcome.getFailure())).isEqualTo(Outcome.SUCCEEDED);
        assertThat(outcome.getRowCountsMatch()).isTrue();
        assertThat(outcome.getRowChecks()).extracting(c -> c.getTableName()).contains("customers", "orders", "old_orders");
    }

    private String text(String database, String sql) throws Exception {
        return text(target, database, sql);
    }

    private static String text(PostgresServer server, String database, String sql) throws Exception {
        try (Connection c = server.connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private void execute(String database, String... sql) throws Exception {
        try (Connection c = target.connect(database); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    @Test
    void noRoleRestoresOntoATargetMissingTheOwnerRoleAndTheTablespace() throws Exception {
        // Given a target without the owner role and without the tablespace
        assertThat(text("postgres", "SELECT count(*) FROM pg_roles WHERE rolname = 'shop_owner'")).isEqualTo("0");
        assertThat(text("postgres", "SELECT count(*) FROM pg_tablespace WHERE spcname IN ('fast', 'archive')")).isEqualTo("0");

        // When the dump is restored with NO_ROLE and NO_TBLSPC
        RestoreCompleted outcome = restore("shop_norole", options(ExistingDatabasePolicy.LEAVE, RolePolicy.NO_ROLE));

        // Then it SUCCEEDED with every row, owned by the connecting role, in the default tablespace
        assertSucceeded(outcome);
        assertThat(text("shop_norole", "SELECT count(*) FROM orders")).isEqualTo("2000");
        assertThat(text("shop_norole", "SELECT count(*) FROM old_orders")).isEqualTo("100");
        assertThat(text("shop_norole", "SELECT tableowner FROM pg_tables WHERE tablename = 'orders'")).isEqualTo("postgres");
        assertThat(text("postgres", "SELECT t.spcname FROM pg_database d JOIN pg_tablespace t ON t.oid = d.dattablespace"
                + " WHERE d.datname = 'shop_norole'")).isEqualTo("pg_default");
        assertThat(text("postgres", "SELECT count(*) FROM pg_roles WHERE rolname = 'shop_owner'")).isEqualTo("0");
        // and the database settings were re-applied
        assertThat(text("postgres", "SELECT array_to_string(s.setconfig, ',') FROM pg_db_role_setting s"
                + " JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = 'shop_norole'")).isEqualTo("work_mem=12MB");
    }

    @Test
    void useRoleCreatesTheOwnerFromTheGlobalsDumpAndDatabaseGrantsArePresent() throws Exception {
        // When the dump is restored with USE_ROLE onto a target without its roles, roles taken from the GLOBALS dump
        RestoreCompleted outcome = restore("srv-roles", "shop_roles", options(ExistingDatabasePolicy.LEAVE, RolePolicy.USE_ROLE)
                .setRolesFromDumpId(GLOBALS));

        // Then the owner role exists as defined in the globals dump, without its password
        assertSucceeded(outcome);
        assertThat(text(rolesTarget, "postgres", "SELECT rolcanlogin::text || ' ' || rolconnlimit || ' ' || (rolpassword IS NULL)::text"
                + " FROM pg_authid WHERE rolname = 'shop_owner'")).isEqualTo("true 7 true");
        assertThat(text(rolesTarget, "postgres", "SELECT count(*) FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
                + " JOIN pg_roles u ON u.oid = m.member WHERE g.rolname = 'reporting' AND u.rolname = 'shop_owner'"))
                .isEqualTo("1");
        // and it owns the database and its tables, as on the source
        assertThat(text(rolesTarget, "postgres", "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'shop_roles'"))
                .isEqualTo("shop_owner");
        assertThat(text(rolesTarget, "shop_roles", "SELECT tableowner FROM pg_tables WHERE tablename = 'orders'")).isEqualTo("shop_owner");
        // and the database-level grants are those of the source: reporting may connect, PUBLIC may not
        assertThat(text(rolesTarget, "postgres", "SELECT has_database_privilege('reporting', 'shop_roles', 'CONNECT')")).isEqualTo("t");
        assertThat(text(rolesTarget, "postgres", "SELECT datacl::text FROM pg_database WHERE datname = 'shop_roles'")).contains("reporting=c/");
        assertThat(text(rolesTarget, "postgres", "SELECT count(*) FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = 'shop_roles'"
                + " AND a.grantee = 0 AND a.privilege_type = 'CONNECT'")).isEqualTo("0");
    }

    @Test
    void leaveRefusesAnExistingDatabaseAndLeavesItAsItWas() throws Exception {
        execute("postgres", "CREATE DATABASE shop_leave");
        execute("shop_leave", "CREATE TABLE marker (note text)", "INSERT INTO marker VALUES ('mine')");

        RestoreCompleted outcome = restore("shop_leave", options(ExistingDatabasePolicy.LEAVE, RolePolicy.NO_ROLE));

        assertThat(outcome.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(outcome.getFailure().getCode()).isEqualTo("TARGET_EXISTS");
        assertThat(text("shop_leave", "SELECT note FROM marker")).isEqualTo("mine");
    }

    @Test
    void renameKeepsTheOldDatabaseUnderATimestampedName() throws Exception {
        execute("postgres", "CREATE DATABASE shop_rename");
        execute("shop_rename", "CREATE TABLE marker (note text)", "INSERT INTO marker VALUES ('old')");

        RestoreCompleted outcome = restore("shop_rename", options(ExistingDatabasePolicy.RENAME, RolePolicy.NO_ROLE));

        assertSucceeded(outcome);
        String kept = outcome.getPreviousDatabaseRenamedTo();
        assertThat(kept).matches("shop_rename_\\d{8}T\\d{6}");
        assertThat(text(kept, "SELECT note FROM marker")).isEqualTo("old");
        assertThat(text("shop_rename", "SELECT count(*) FROM customers")).isEqualTo("300");
    }

    @Test
    void dropReplacesTheDatabaseAndLeavesNoTemporaryOne() throws Exception {
        execute("postgres", "CREATE DATABASE shop_drop");
        execute("shop_drop", "CREATE TABLE marker (note text)");

        RestoreCompleted outcome = restore("shop_drop", options(ExistingDatabasePolicy.DROP, RolePolicy.NO_ROLE));

        assertSucceeded(outcome);
        assertThat(text("shop_drop", "SELECT to_regclass('marker')")).isNull();
        assertThat(text("shop_drop", "SELECT count(*) FROM orders")).isEqualTo("2000");
        assertThat(text("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'shop_drop_pgsnapman_%'"))
                .isEqualTo("0");
    }

    @Test
    void dropBeforeDropsFirstAndRestoresInPlace() throws Exception {
        execute("postgres", "CREATE DATABASE shop_dropbefore");
        execute("shop_dropbefore", "CREATE TABLE marker (note text)");

        RestoreCompleted outcome = restore("shop_dropbefore", options(ExistingDatabasePolicy.DROP_BEFORE, RolePolicy.NO_ROLE));

        assertSucceeded(outcome);
        assertThat(text("shop_dropbefore", "SELECT to_regclass('marker')")).isNull();
        assertThat(text("shop_dropbefore", "SELECT count(*) FROM orders")).isEqualTo("2000");
    }

    @Test
    void truncateReloadsTheDataIntoTheExistingSchemaAndKeepsEverythingElse() throws Exception {
        // Given a copy whose data drifted, with a table of its own
        restore("shop_truncate", options(ExistingDatabasePolicy.LEAVE, RolePolicy.NO_ROLE));
        execute("shop_truncate", "DELETE FROM orders WHERE id > 1500", "UPDATE customers SET name = 'changed'",
                "CREATE TABLE local_notes (note text)", "INSERT INTO local_notes VALUES ('keep me')");

        // When the dump is restored with TRUNCATE
        RestoreCompleted outcome = restore("shop_truncate", options(ExistingDatabasePolicy.TRUNCATE, RolePolicy.NO_ROLE));

        // Then the dump's data is back, and the database's own table is untouched
        assertSucceeded(outcome);
        assertThat(text("shop_truncate", "SELECT count(*) FROM orders")).isEqualTo("2000");
        assertThat(text("shop_truncate", "SELECT count(*) FROM customers WHERE name = 'changed'")).isEqualTo("0");
        assertThat(text("shop_truncate", "SELECT note FROM local_notes")).isEqualTo("keep me");
    }

    @Test
    void truncateFailsWithoutTouchingATargetThatLacksATableOfTheDump() throws Exception {
        // Given a database with customers but no orders table
        execute("postgres", "CREATE DATABASE shop_partial");
        execute("shop_partial", "CREATE TABLE customers (id int PRIMARY KEY, name text)",
                "INSERT INTO customers VALUES (1, 'local')");

        RestoreCompleted outcome = restore("shop_partial", options(ExistingDatabasePolicy.TRUNCATE, RolePolicy.NO_ROLE));

        assertThat(outcome.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(outcome.getFailure().getCode()).isEqualTo("SCHEMA_MISMATCH");
        assertThat(outcome.getFailure().getReason()).contains("public.orders");
        assertThat(text("shop_partial", "SELECT name FROM customers")).isEqualTo("local");
    }

    @Test
    void aFailedTruncateLoadRollsBackTheTruncation() throws Exception {
        // Given a copy where a constraint of its own rejects the dump's data
        restore("shop_rollback", options(ExistingDatabasePolicy.LEAVE, RolePolicy.NO_ROLE));
        execute("shop_rollback", "DELETE FROM orders WHERE id > 10", "ALTER TABLE orders ADD CONSTRAINT small CHECK (id <= 10)");

        // When TRUNCATE is asked for
        RestoreCompleted outcome = restore("shop_rollback", options(ExistingDatabasePolicy.TRUNCATE, RolePolicy.NO_ROLE));

        // Then it FAILED with the server's message and the rows from before are all there
        assertThat(outcome.getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(outcome.getFailure().getStderrExcerpt()).contains("small");
        assertThat(text("shop_rollback", "SELECT count(*) FROM orders")).isEqualTo("10");
        assertThat(text("shop_rollback", "SELECT count(*) FROM customers")).isEqualTo("300");
    }

    @Test
    void oneSchemaIsRestoredWithTheSchemaItselfAndNothingElse() throws Exception {
        // When only the schema ledger of the dump is restored, with the dump's owners
        RestoreCompleted outcome = restore("srv-ledger", "shop_ledger", options(ExistingDatabasePolicy.LEAVE, RolePolicy.USE_ROLE)
                .setSchemaName("ledger"));

        // Then the schema is there as in the source (owner, comment, grant) with its rows, and no other table
        assertThat(outcome.getOutcome()).as(String.valueOf(outcome.getFailure())).isEqualTo(Outcome.SUCCEEDED);
        assertThat(outcome.getRowCountsMatch()).isTrue();
        assertThat(outcome.getRowChecks()).extracting(c -> c.getSchemaName() + "." + c.getTableName())
                .containsExactly("ledger.entries");
        assertThat(text(ledgerTarget, "shop_ledger", "SELECT count(*) FROM ledger.entries")).isEqualTo("500");
        assertThat(text(ledgerTarget, "shop_ledger", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isEqualTo("0");
        assertThat(text(ledgerTarget, "shop_ledger", "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'ledger'"))
                .isEqualTo("shop_owner");
        assertThat(text(ledgerTarget, "shop_ledger", "SELECT obj_description('ledger'::regnamespace, 'pg_namespace')"))
                .isEqualTo("money in and out");
        assertThat(text(ledgerTarget, "shop_ledger", "SELECT has_schema_privilege('reporting', 'ledger', 'USAGE')")).isEqualTo("t");
    }

    @Test
    void schemaOnlyRestoresEveryTableAndConstraintWithoutRows() throws Exception {
        // When the dump is restored schema-only
        RestoreCompleted outcome = restore("shop_structure", options(ExistingDatabasePolicy.LEAVE, RolePolicy.NO_ROLE)
                .setSchemaOnly(true));

        // Then every table and the foreign key exist, all empty, and no row check was made
        assertThat(outcome.getOutcome()).as(String.valueOf(outcome.getFailure())).isEqualTo(Outcome.SUCCEEDED);
        assertThat(outcome.getRowChecks()).isEmpty();
        assertThat(outcome.getRowCountsMatch()).isNull();
        assertThat(text("shop_structure", "SELECT string_agg(schemaname || '.' || tablename, ',' ORDER BY schemaname, tablename) FROM pg_tables"
                + " WHERE schemaname IN ('public', 'ledger')"))
                .isEqualTo("ledger.entries,public.customers,public.old_orders,public.orders");
        assertThat(text("shop_structure", "SELECT count(*) FROM orders")).isEqualTo("0");
        assertThat(text("shop_structure", "SELECT count(*) FROM ledger.entries")).isEqualTo("0");
        assertThat(text("shop_structure", "SELECT count(*) FROM pg_constraint WHERE contype = 'f'")).isEqualTo("1");
    }
}
