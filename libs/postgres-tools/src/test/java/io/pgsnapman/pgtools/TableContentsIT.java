package io.pgsnapman.pgtools;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.testsupport.PostgresServer;
import io.pgsnapman.testsupport.PostgresServers;
import io.pgsnapman.testsupport.WithPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Row counts and content checksums as the dump takes them and as a test restore takes them, on a real server. */
@WithPostgres
class TableContentsIT {

    private static final String TABLE = """
            CREATE TABLE public."Mixed" (id int, at timestamptz, day date, span interval, ratio float8, raw bytea,
                price money, kind regclass, note text)""";
    private static final List<String> ROWS = List.of(
            "(1, '2026-03-29 01:30:00+00', '2026-02-28', '1 day 02:03:04', 0.1, '\\x00ff', 12.34, 'pg_class', 'a')",
            "(2, '1999-12-31 23:59:59.999+05', '1999-12-31', '-3 mons', 1e300, '\\x', 0, 'pg_type', NULL)",
            "(3, NULL, NULL, NULL, 'NaN', NULL, NULL, NULL, 'ü \"quoted\", (comma)')");

    private static PostgresServer server;

    @BeforeAll
    static void twoDatabasesWithTheSameRowsInOtherOrdersAndOtherSessionDefaults(PostgresServers servers) throws Exception {
        server = servers.get(0);
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE contents_a");
            st.execute("CREATE DATABASE contents_b");
            st.execute("ALTER DATABASE contents_b SET TimeZone = 'Pacific/Chatham'");
            st.execute("ALTER DATABASE contents_b SET DateStyle = 'SQL, DMY'");
            st.execute("ALTER DATABASE contents_b SET IntervalStyle = 'iso_8601'");
            st.execute("ALTER DATABASE contents_b SET bytea_output = 'escape'");
            st.execute("ALTER DATABASE contents_b SET extra_float_digits = 0");
            st.execute("ALTER DATABASE contents_b SET search_path = public");
        }
        fill("contents_a", ROWS);
        fill("contents_b", List.of(ROWS.get(2), ROWS.get(0), ROWS.get(1)));
    }

    private static void fill(String database, List<String> rows) throws Exception {
        try (Connection c = server.connect(database); Statement st = c.createStatement()) {
            st.execute(TABLE);
            for (String row : rows) {
                st.execute("INSERT INTO public.\"Mixed\" VALUES " + row);
            }
        }
    }

    private static TableContents.Summary restoreSide(String database, TableContents.Algorithm algorithm) throws Exception {
        return restoreSide(database, "Mixed", algorithm);
    }

    private static TableContents.Summary restoreSide(String database, String table, TableContents.Algorithm algorithm)
            throws Exception {
        try (Connection c = server.connect(database); Statement st = c.createStatement()) {
            TableContents.normalize(st, false);
            return TableContents.read(st, "public", table, algorithm);
        }
    }

    @Test
    void theSameRowsGiveTheSameCountAndChecksumWhateverTheirOrderAndTheSessionsSettings() throws Exception {
        // Given the dump side reading database a inside an exported snapshot
        Map<ServerIntrospector.TableEstimate, TableContents.Summary> dumped;
        ServerIntrospector.TableEstimate mixed = new ServerIntrospector.TableEstimate("public", "Mixed", -1);
        try (ExportedSnapshot snapshot = ExportedSnapshot.export(server.connect("contents_a"))) {
            dumped = snapshot.contents(List.of(mixed));
        }

        // When the restore side reads database b, whose sessions default to other styles, zones and digits
        TableContents.Summary restored = restoreSide("contents_b", TableContents.Algorithm.HC64);

        // Then both agree, and the checksum names its algorithm, the per-column one
        assertThat(dumped.get(mixed)).isEqualTo(restored);
        assertThat(restored.rows()).isEqualTo(3);
        assertThat(restored.checksum()).startsWith("hc64:");
        assertThat(TableContents.Algorithm.of(restored.checksum())).contains(TableContents.Algorithm.HC64);
        // and so do the text-form and whole-row algorithms that older dumps recorded
        for (TableContents.Algorithm older : List.of(TableContents.Algorithm.H64, TableContents.Algorithm.MD5)) {
            assertThat(restoreSide("contents_a", older)).isEqualTo(restoreSide("contents_b", older));
        }
    }

    @Test
    void oneAlteredValueChangesTheChecksumButNotTheCount() throws Exception {
        // Given a copy whose one row differs in one column
        try (Connection c = server.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE contents_c TEMPLATE contents_a");
        }
        try (Connection c = server.connect("contents_c"); Statement st = c.createStatement()) {
            st.execute("UPDATE public.\"Mixed\" SET note = 'b' WHERE id = 1");
        }

        // When both are read the same way, by each algorithm
        for (TableContents.Algorithm algorithm : List.of(TableContents.Algorithm.HC64, TableContents.Algorithm.H64,
                TableContents.Algorithm.MD5)) {
            TableContents.Summary original = restoreSide("contents_a", algorithm);
            TableContents.Summary altered = restoreSide("contents_c", algorithm);

            // Then the counts agree and the checksums do not
            assertThat(altered.rows()).as(algorithm.name()).isEqualTo(original.rows());
            assertThat(altered.checksum()).as(algorithm.name()).isNotEqualTo(original.checksum());
        }
    }

    @Test
    void everyColumnTypeIsHashedByColumnInTheSnapshotAndTheRestoreSideAgrees() throws Exception {
        // Given a table of hashable types beside one with a json column, in both databases, rows in other orders
        for (String db : List.of("contents_a", "contents_b")) {
            try (Connection c = server.connect(db); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE public.plain (id bigint, name text, at timestamptz, ratio numeric)");
                st.execute("INSERT INTO public.plain SELECT g, 'n' || g, '2026-01-01'::timestamptz + g * interval '1 min',"
                        + " g / 7.0 FROM generate_series(1, 1000) g ORDER BY " + (db.equals("contents_a") ? "g" : "-g"));
                st.execute("CREATE TABLE public.doc (id int, body json)");
                st.execute("INSERT INTO public.doc VALUES (1, '{\"a\": 1}'), (2, '[]')");
            }
        }
        ServerIntrospector.TableEstimate plain = new ServerIntrospector.TableEstimate("public", "plain", -1);
        ServerIntrospector.TableEstimate doc = new ServerIntrospector.TableEstimate("public", "doc", -1);

        // When the dump side reads both in one snapshot
        Map<ServerIntrospector.TableEstimate, TableContents.Summary> dumped;
        try (ExportedSnapshot snapshot = ExportedSnapshot.export(server.connect("contents_a"))) {
            dumped = snapshot.contents(List.of(doc, plain));
        }

        // Then both are hashed by column, json by its text, and the restore side agrees on both
        assertThat(dumped.get(plain).checksum()).startsWith("hc64:");
        assertThat(dumped.get(doc).checksum()).startsWith("hc64:");
        assertThat(restoreSide("contents_b", "plain", TableContents.Algorithm.HC64)).isEqualTo(dumped.get(plain));
        assertThat(restoreSide("contents_b", "doc", TableContents.Algorithm.HC64)).isEqualTo(dumped.get(doc));
    }

    @Test
    void perColumnHashesFollowColumnNamesNotPositionsAndSeeNullsDomainsEnumsArraysAndPadding() throws Exception {
        // Given the same rows in two databases whose tables list the columns in other orders, of many kinds of type
        String[] orders = {"d posint, e mood, a varchar(10), b char(5), c text[], f int4range, g uuid, h jsonb",
                "h jsonb, g uuid, f int4range, c text[], b char(5), a varchar(10), e mood, d posint"};
        String rows = "(d, e, a, b, c, f, g, h) VALUES (1, 'ok', 'x', 'ab', '{a,NULL}', '[1,5)',"
                + " '6ecd8c99-4036-403d-bf84-cf8400f67836', '{\"k\": [1, 2]}'), (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
                + " (3, 'sad', '', 'ab   ', '{}', 'empty', NULL, 'null')";
        for (int i = 0; i < 2; i++) {
            try (Connection c = server.connect(i == 0 ? "contents_a" : "contents_b"); Statement st = c.createStatement()) {
                st.execute("CREATE DOMAIN public.posint AS int CHECK (VALUE > 0)");
                st.execute("CREATE TYPE public.mood AS ENUM ('sad', 'ok')");
                st.execute("CREATE TABLE public.kinds (" + orders[i] + ")");
                st.execute("INSERT INTO public.kinds " + rows);
            }
        }

        // When both are read per column
        TableContents.Summary a = restoreSide("contents_a", "kinds", TableContents.Algorithm.HC64);
        TableContents.Summary b = restoreSide("contents_b", "kinds", TableContents.Algorithm.HC64);

        // Then they agree; a NULL turned into an empty value, or two values swapped between columns, does not
        assertThat(a).isEqualTo(b);
        assertThat(a.rows()).isEqualTo(3);
        try (Connection c = server.connect("contents_b"); Statement st = c.createStatement()) {
            st.execute("UPDATE public.kinds SET a = '' WHERE d = 2");
            assertThat(restoreSide("contents_b", "kinds", TableContents.Algorithm.HC64)).isNotEqualTo(a);
            st.execute("UPDATE public.kinds SET a = NULL WHERE d = 2");
            assertThat(restoreSide("contents_b", "kinds", TableContents.Algorithm.HC64)).isEqualTo(a);
            st.execute("UPDATE public.kinds SET a = b::text, b = a WHERE d = 1");
            assertThat(restoreSide("contents_b", "kinds", TableContents.Algorithm.HC64)).isNotEqualTo(a);
        }
    }

    @Test
    void aTableWithoutColumnsCountsItsRows() throws Exception {
        try (Connection c = server.connect("contents_a"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE public.empty_shape ()");
            st.execute("INSERT INTO public.empty_shape DEFAULT VALUES");
            st.execute("INSERT INTO public.empty_shape DEFAULT VALUES");
        }
        assertThat(restoreSide("contents_a", "empty_shape", TableContents.Algorithm.HC64))
                .isEqualTo(new TableContents.Summary(2, "hc64:0"));
    }
}
