package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.pgtools.SqlIdentifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the restore steps ask of and do to a target server's catalog over an admin connection: whether a database,
 * role or tablespace exists; ending a database's sessions; dropping and renaming databases. Names are bound or
 * quoted, never spliced.
 */
public final class ServerCatalog {

    private static final Logger log = LoggerFactory.getLogger(ServerCatalog.class);

    private ServerCatalog() {}

    static boolean databaseExists(Connection admin, String name) throws SQLException {
        return exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", name);
    }

    static boolean roleExists(Connection admin, String name) throws SQLException {
        return exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", name);
    }

    static boolean tablespaceExists(Connection admin, String name) throws SQLException {
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

    /** Ends every other session on the database (a rename or drop needs it to be unused). */
    static void terminate(Connection admin, String database) throws SQLException {
        try (PreparedStatement st = admin.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            st.setString(1, database);
            st.executeQuery().close();
        }
    }

    /** Drops the database if it exists, ending its sessions first. */
    public static void drop(Connection admin, String database) throws SQLException {
        terminate(admin, database);
        execute(admin, "DROP DATABASE IF EXISTS " + SqlIdentifiers.quote(database));
    }

    /** {@link #drop}, logging instead of failing: for undoing, when the restore has already failed. */
    static void dropQuietly(Connection admin, String database) {
        try {
            drop(admin, database);
        } catch (SQLException e) {
            log.error("could not drop temporary database {}: {}", database, e.getMessage());
        }
    }

    static void rename(Connection admin, String from, String to) throws SQLException {
        terminate(admin, from);
        execute(admin, "ALTER DATABASE " + SqlIdentifiers.quote(from) + " RENAME TO " + SqlIdentifiers.quote(to));
    }

    static void execute(Connection admin, String... statements) throws SQLException {
        try (Statement st = admin.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }
}
