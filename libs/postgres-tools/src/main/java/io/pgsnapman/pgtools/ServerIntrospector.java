package io.pgsnapman.pgtools;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a dump manifest records about a server and a database over JDBC: the server version, the
 * database's owner, encoding, locale, tablespace, own ACL and settings (not part of a single-database
 * dump), and row estimates per table; and lists the databases of a server.
 */
public final class ServerIntrospector {

    /** Database-level facts from {@code pg_database} and {@code pg_db_role_setting}, and its size on disk. */
    public record DatabaseFacts(String name, String owner, String encoding, String collate, String ctype,
            String tablespace, int connectionLimit, List<String> acl, List<String> settings, long sizeBytes) {}

    /** A table with its planner row estimate ({@code reltuples}; -1 when never analyzed). */
    public record TableEstimate(String schema, String table, long rows) {}

    private final String applicationName;

    public ServerIntrospector(String applicationName) {
        this.applicationName = applicationName;
    }

    public Connection connect(PgConnection connection) throws SQLException {
        return DriverManager.getConnection(connection.jdbcUrl(), connection.jdbcProperties(applicationName));
    }

    /** {@code server_version_num} as a version, and the server's own version string. */
    public record ServerVersion(ToolVersion version, String text) {}

    public ServerVersion serverVersion(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT current_setting('server_version_num')::int, current_setting('server_version')")) {
            rs.next();
            return new ServerVersion(ToolVersion.fromServerVersionNum(rs.getInt(1)), rs.getString(2));
        }
    }

    public DatabaseFacts databaseFacts(Connection connection, String database) throws SQLException {
        String sql = """
                SELECT d.datname, pg_get_userbyid(d.datdba), pg_encoding_to_char(d.encoding), d.datcollate,
                       d.datctype, t.spcname, d.datconnlimit, d.datacl::text[],
                       (SELECT s.setconfig FROM pg_db_role_setting s WHERE s.setdatabase = d.oid AND s.setrole = 0),
                       pg_database_size(d.oid)
                FROM pg_database d JOIN pg_tablespace t ON t.oid = d.dattablespace
                WHERE d.datname = ?""";
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            st.setString(1, database);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("database \"" + database + "\" does not exist", "3D000");
                }
                return new DatabaseFacts(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getInt(7), strings(rs.getArray(8)), strings(rs.getArray(9)),
                        rs.getLong(10));
            }
        }
    }

    /** Row estimates of every ordinary and partitioned table outside the system schemas. */
    public List<TableEstimate> tableEstimates(Connection connection) throws SQLException {
        String sql = """
                SELECT n.nspname, c.relname, c.reltuples::bigint
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
                ORDER BY 1, 2""";
        List<TableEstimate> tables = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                tables.add(new TableEstimate(rs.getString(1), rs.getString(2), rs.getLong(3)));
            }
        }
        return tables;
    }

    /** Databases that accept connections and are not templates, by name. */
    public List<String> listDatabases(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        Object[] values = (Object[]) array.getArray();
        List<String> out = new ArrayList<>(values.length);
        for (Object value : values) {
            out.add(String.valueOf(value));
        }
        return out;
    }
}
