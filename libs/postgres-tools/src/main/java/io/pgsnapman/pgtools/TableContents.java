package io.pgsnapman.pgtools;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A table's exact row count and an order-independent content checksum, read in one scan: the sum, as an exact
 * {@code numeric}, of a 64-bit hash of every row — of its columns' own hash functions where every column type has
 * one (PostgreSQL 14 and later), of its text form otherwise. Taken the same way at dump time (inside the snapshot
 * pg_dump reads) and after a test restore, so a table restored row for row gives the same pair, whatever order the
 * rows come back in. The text form depends on session settings, so {@link #normalize} fixes every one an output
 * function reads before anything is counted. Compare checksums within one PostgreSQL major only. See ADR 14.
 */
public final class TableContents {

    /** A table's row count and checksum; the checksum names its {@link Algorithm} ({@code hr64:…}, {@code h64:…}). */
    public record Summary(long rows, String checksum) {}

    /** How each row is hashed; the prefix of the checksum says which, so the restore side hashes the same way. */
    public enum Algorithm {
        /**
         * {@code hash_record_extended} (PostgreSQL 14 and later): each column's extended hash function, the ones hash
         * partitioning keeps stable; no text formatting, so about a third cheaper. Fails on a row with a column type
         * without one (json, money, point, …): {@link #readBest} then takes {@link #H64}.
         */
        HR64("hr64", "hash_record_extended(t, 0)"),
        /** {@code hashtextextended} of the row's text (PostgreSQL 11 and later). */
        H64("h64", "hashtextextended(t::text, 0)"),
        /** The first 64 bits of {@code md5}: slower, for servers older than 11. */
        MD5("md5", "('x' || left(md5(t::text), 16))::bit(64)::bigint");

        private final String prefix;
        private final String rowHash;

        Algorithm(String prefix, String rowHash) {
            this.prefix = prefix;
            this.rowHash = rowHash;
        }

        /** The algorithm a server of that {@code server_version_num} supports best. */
        public static Algorithm forServer(int serverVersionNum) {
            return serverVersionNum >= 140000 ? HR64 : serverVersionNum >= 110000 ? H64 : MD5;
        }

        /** The algorithm a checksum was taken with; empty for none or one this version does not know. */
        public static Optional<Algorithm> of(String checksum) {
            if (checksum == null) {
                return Optional.empty();
            }
            return Arrays.stream(values()).filter(a -> checksum.startsWith(a.prefix + ":")).findFirst();
        }

        String checksum(BigDecimal sum) {
            return prefix + ":" + sum.toPlainString();
        }
    }

    /**
     * The settings every output function involved reads, at fixed values: dates and times in ISO and UTC,
     * intervals in PostgreSQL's style, floats with every digit, bytea in hex, money without a locale, and an
     * empty search path so {@code regclass} and friends come out schema-qualified.
     */
    static final Map<String, String> SETTINGS = Map.of(
            "DateStyle", "ISO, YMD",
            "TimeZone", "UTC",
            "IntervalStyle", "postgres",
            "extra_float_digits", "3",
            "bytea_output", "hex",
            "lc_monetary", "C",
            "search_path", "pg_catalog");

    /** What {@code hash_record_extended} raises for a column type without an extended hash function. */
    public static final String UNDEFINED_FUNCTION = "42883";

    private TableContents() {}

    /**
     * Fixes {@link #SETTINGS} on the statement's connection: for the transaction only when {@code inTransaction}
     * (the dump's snapshot), for the session otherwise.
     */
    public static void normalize(Statement st, boolean inTransaction) throws SQLException {
        String settings = SETTINGS.entrySet().stream().map(s -> "set_config(" + SqlIdentifiers.literal(s.getKey()) + ", "
                + SqlIdentifiers.literal(s.getValue()) + ", " + inTransaction + ")").collect(Collectors.joining(", "));
        try (ResultSet ignored = st.executeQuery("SELECT " + settings)) {
            // one round trip; set_config returns the new values
        }
    }

    /**
     * Counts and hashes one table in one scan with the best algorithm the table allows, starting from
     * {@code preferred}: a table with a column type {@link Algorithm#HR64} cannot hash is read with {@link Algorithm#H64}
     * (inside a transaction, the failed try is rolled back to a savepoint, so the transaction goes on).
     */
    public static Summary readBest(Statement st, String schema, String table, Algorithm preferred) throws SQLException {
        if (preferred != Algorithm.HR64) {
            return read(st, schema, table, preferred);
        }
        Connection c = st.getConnection();
        Savepoint before = c.getAutoCommit() ? null : c.setSavepoint();
        try {
            Summary summary = read(st, schema, table, Algorithm.HR64);
            if (before != null) {
                c.releaseSavepoint(before);
            }
            return summary;
        } catch (SQLException e) {
            if (!UNDEFINED_FUNCTION.equals(e.getSQLState())) {
                throw e;
            }
            if (before != null) {
                c.rollback(before);
            }
            return read(st, schema, table, Algorithm.H64);
        }
    }

    /** Counts and hashes one table in one scan, on a connection {@link #normalize}d before. */
    public static Summary read(Statement st, String schema, String table, Algorithm algorithm) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(" + algorithm.rowHash + "), 0) FROM "
                + SqlIdentifiers.quote(schema) + "." + SqlIdentifiers.quote(table) + " t")) {
            rs.next();
            return new Summary(rs.getLong(1), algorithm.checksum(rs.getBigDecimal(2)));
        }
    }
}
