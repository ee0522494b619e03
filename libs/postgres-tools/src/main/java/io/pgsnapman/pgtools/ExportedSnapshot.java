package io.pgsnapman.pgtools;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A repeatable-read, read-only transaction whose snapshot is exported for {@code pg_dump --snapshot}, so
 * rows counted and hashed here are exactly the rows in the dump. The transaction stays open (and the snapshot valid)
 * until {@link #close()}. Not thread-safe: one statement at a time on its one connection.
 */
public final class ExportedSnapshot implements AutoCloseable {

    private final Connection connection;
    private final String id;

    private ExportedSnapshot(Connection connection, String id) {
        this.connection = connection;
        this.id = id;
    }

    /** Opens the transaction on a connection to the database to dump and exports its snapshot. */
    public static ExportedSnapshot export(Connection connection) throws SQLException {
        try {
            connection.setAutoCommit(false);
            try (Statement st = connection.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                try (ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
                    rs.next();
                    return new ExportedSnapshot(connection, rs.getString(1));
                }
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /** The id to pass as {@code pg_dump --snapshot}. */
    public String id() {
        return id;
    }

    /** The connection inside the snapshot's transaction (e.g. to list tables as the dump sees them). */
    public Connection connection() {
        return connection;
    }

    /**
     * Exact row count and content checksum ({@link TableContents}) of each table, in the snapshot, in one scan per
     * table; the checksum algorithm is the best the server supports.
     */
    public Map<ServerIntrospector.TableEstimate, TableContents.Summary> contents(
            List<ServerIntrospector.TableEstimate> tables) throws SQLException {
        Map<ServerIntrospector.TableEstimate, TableContents.Summary> contents = new LinkedHashMap<>();
        try (Statement st = connection.createStatement()) {
            TableContents.Algorithm algorithm;
            try (ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
                rs.next();
                algorithm = TableContents.Algorithm.forServer(rs.getInt(1));
            }
            TableContents.normalize(st, true);
            for (ServerIntrospector.TableEstimate table : tables) {
                contents.put(table, TableContents.read(st, table.schema(), table.table(), algorithm));
            }
        }
        return contents;
    }

    /**
     * Ends the transaction and the connection at once, without waiting for a count running on another thread
     * (it fails): for a dump that was cancelled or failed, whose counts nobody will read. A plain close would
     * wait for that count, which may itself wait on a lock for ever.
     */
    public void abort() throws SQLException {
        connection.abort(Runnable::run);
    }

    /** Ends the transaction; the snapshot is no longer importable. */
    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.close();
        }
    }
}
