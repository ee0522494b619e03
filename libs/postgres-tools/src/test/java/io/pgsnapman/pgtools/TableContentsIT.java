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

    private static TableContents.Summary restoreSide(String database) throws Exception {
        try (Connection c = server.connect(database); Statement st = c.createStatement()) {
            TableContents.normalize(st, false);
            return TableContents.read(st, "public", "Mixed", TableContents.Algorithm.H64);
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
        TableContents.Summary restored = restoreSide("contents_b");

        // Then both agree, and the checksum names its algorithm
        assertThat(dumped.get(mixed)).isEqualTo(restored);
        assertThat(restored.rows()).isEqualTo(3);
        assertThat(restored.checksum()).startsWith("h64:");
        assertThat(TableContents.Algorithm.of(restored.checksum())).contains(TableContents.Algorithm.H64);
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

        // When both are read the same way
        TableContents.Summary original = restoreSide("contents_a");
        TableContents.Summary altered = restoreSide("contents_c");

        // Then the counts agree and the checksums do not
        assertThat(altered.rows()).isEqualTo(original.rows());
        assertThat(altered.checksum()).isNotEqualTo(original.checksum());
    }

    @Test
    void theMd5AlgorithmAgreesWithItselfAndDiffersFromH64() throws Exception {
        try (Connection a = server.connect("contents_a"); Statement sa = a.createStatement();
                Connection b = server.connect("contents_b"); Statement sb = b.createStatement()) {
            TableContents.normalize(sa, false);
            TableContents.normalize(sb, false);
            TableContents.Summary md5a = TableContents.read(sa, "public", "Mixed", TableContents.Algorithm.MD5);
            TableContents.Summary md5b = TableContents.read(sb, "public", "Mixed", TableContents.Algorithm.MD5);
            assertThat(md5a).isEqualTo(md5b);
            assertThat(md5a.checksum()).startsWith("md5:");
            assertThat(TableContents.Algorithm.of(md5a.checksum())).contains(TableContents.Algorithm.MD5);
        }
    }

    @Test
    void tablesWhoseColumnTypesAllHashAreHashedByColumnAndTheOthersByTheirTextInTheSameSnapshot() throws Exception {
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

        // When the dump side reads both in one snapshot (the json table's first try fails inside it)
        Map<ServerIntrospector.TableEstimate, TableContents.Summary> dumped;
        try (ExportedSnapshot snapshot = ExportedSnapshot.export(server.connect("contents_a"))) {
            dumped = snapshot.contents(List.of(doc, plain));
        }

        // Then the plain table is hashed by column, the json one by text, and the restore side agrees on both
        assertThat(dumped.get(plain).checksum()).startsWith("hr64:");
        assertThat(dumped.get(doc).checksum()).startsWith("h64:");
        try (Connection c = server.connect("contents_b"); Statement st = c.createStatement()) {
            TableContents.normalize(st, false);
            assertThat(TableContents.read(st, "public", "plain", TableContents.Algorithm.of(dumped.get(plain).checksum())
                    .orElseThrow())).isEqualTo(dumped.get(plain));
            assertThat(TableContents.read(st, "public", "doc", TableContents.Algorithm.of(dumped.get(doc).checksum())
                    .orElseThrow())).isEqualTo(dumped.get(doc));
            // and one changed value changes the column-hashed checksum too
            st.execute("UPDATE public.plain SET name = 'x' WHERE id = 500");
            assertThat(TableContents.read(st, "public", "plain", TableContents.Algorithm.HR64).checksum())
                    .isNotEqualTo(dumped.get(plain).checksum());
        }
    }
}
