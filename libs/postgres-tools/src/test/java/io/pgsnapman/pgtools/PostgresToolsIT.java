package io.pgsnapman.pgtools;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.WithPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tools against a real PostgreSQL server. */
@WithPostgres
class PostgresToolsIT {

    private final PostgresServer server;
    private final ToolRunner runner = new ToolRunner();

    PostgresToolsIT(PostgresServers servers) {
        this.server = servers.get(0);
    }

    private PgConnection connection(String database) {
        return new PgConnection(server.host(), server.port(), server.superuser(), database, "disable", server.password());
    }

    @Test
    void locatedPgDumpCanDumpTheServerAndReportsItsVersion() throws Exception {
        // Given the tools found on this machine and the server's version
        PgToolset tools = PgToolset.locateDefault(runner);
        ServerIntrospector introspector = new ServerIntrospector("pgsnapman-test");
        ServerIntrospector.ServerVersion version;
        try (Connection c = introspector.connect(connection("postgres"))) {
            version = introspector.serverVersion(c);
        }

        // When the dump tool is checked against the server
        tools.requireCanDump(version.version(), "pg1");

        // Then it is at least the server's major, and the tools are all there
        assertThat(tools.version().major()).isGreaterThanOrEqualTo(version.version().major());
        assertThat(tools.tool("pg_restore")).exists();
        assertThat(tools.tool("pg_dumpall")).exists();
        // and it does dump the server
        ToolResult dump = runner.run(List.of(tools.tool("pg_dump").toString(), "--schema-only"),
                connection("postgres").environment("pgsnapman-test"), Duration.ofSeconds(60), null);
        assertThat(dump.succeeded()).as(dump.stderr()).isTrue();
        assertThat(dump.stdout()).contains("PostgreSQL database dump complete");
    }

    @Test
    void failedPgDumpGivesItsExitCodeAndMessageClassifiedPermanent() {
        // Given a database that does not exist
        PgToolset tools = PgToolset.locateDefault(runner);

        // When pg_dump is run against it (password in the environment, arguments as an array)
        ToolResult result = runner.run(
                List.of(tools.tool("pg_dump").toString(), "--schema-only", "--dbname=no_such_db"),
                connection("no_such_db").environment("pgsnapman-test"), Duration.ofMinutes(1), null);

        // Then it failed with pg_dump's message, and the classifier calls it permanent
        assertThat(result.succeeded()).isFalse();
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("database \"no_such_db\" does not exist");
        PgErrorClassifier.Classification c = new PgErrorClassifier().classify(result);
        assertThat(c.code()).isEqualTo("3D000");
        assertThat(c.retriable()).isFalse();
    }

    @Test
    void databaseFactsIncludeOwnAclSettingsAndTableEstimates() throws Exception {
        // Given a database with a grant, a setting and an analyzed table
        ServerIntrospector introspector = new ServerIntrospector("pgsnapman-test");
        try (Connection c = introspector.connect(connection("postgres")); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE \"report reader\"");
            st.execute("CREATE DATABASE facts");
            st.execute("GRANT CONNECT ON DATABASE facts TO \"report reader\"");
            st.execute("ALTER DATABASE facts SET work_mem = '64MB'");
        }
        try (Connection c = introspector.connect(connection("facts")); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE items AS SELECT g AS id FROM generate_series(1, 500) g");
            st.execute("ANALYZE items");
        }

        // When its facts are read
        ServerIntrospector.DatabaseFacts facts;
        List<ServerIntrospector.TableEstimate> tables;
        List<String> databases;
        try (Connection c = introspector.connect(connection("postgres"))) {
            facts = introspector.databaseFacts(c, "facts");
            databases = introspector.listDatabases(c);
        }
        try (Connection c = introspector.connect(connection("facts"))) {
            tables = introspector.tableEstimates(c);
        }

        // Then the ACL, the setting and the estimate are there
        assertThat(facts.owner()).isEqualTo("postgres");
        assertThat(facts.encoding()).isEqualTo("UTF8");
        assertThat(facts.acl()).anyMatch(item -> item.startsWith("\"report reader\"=c/"));
        assertThat(facts.settings()).containsExactly("work_mem=64MB");
        assertThat(tables).containsExactly(new ServerIntrospector.TableEstimate("public", "items", 500));
        assertThat(databases).contains("facts", "postgres").doesNotContain("template0", "template1");
    }

    @Test
    void credentialFileIsUsedWhenNoEnvironmentVariableIsSet(@TempDir Path dir) throws Exception {
        // Given a mounted secret file for the reference
        Files.writeString(dir.resolve("pg1"), server.password() + "\n");
        CredentialResolver resolver = new CredentialResolver(Map.of(), dir);

        // When the password is resolved and used
        String password = resolver.resolve("pg1").orElseThrow();
        PgConnection connection = new PgConnection(server.host(), server.port(), "postgres", "postgres", "disable", password);

        // Then it logs in over TCP (SCRAM)
        try (Connection c = new ServerIntrospector("pgsnapman-test").connect(connection)) {
            assertThat(c.isValid(5)).isTrue();
        }
    }
}
