package io.pgsnapman.pgtools;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * A table's exact row count and an order-independent content checksum, read in one scan: the sum, as an exact
 * {@code numeric}, of a 64-bit hash of every row's text form. Taken the same way at dump time (inside the snapshot
 * pg_dump reads) and after a test restore, so a table restored row for row gives the same pair, whatever order the
 * rows come back in. The text form depends on session settings, so {@link #normalize} fixes every one an output
 * function reads before anything is counted. Equal sums across PostgreSQL majors are expected for everything but
 * floating-point columns (their text changed in 12): compare checksums within one major. See ADR 14.
 */
public final class TableContents {

    /** A table's row count and checksum; the checksum names its {@link Algorithm} ({@code h64:…}). */
    public record Summary(long rows, String checksum) {}

    /** How each row is hashed; the prefix of the checksum says which, so the restore side hashes the same way. */
    public enum Algorithm {
        /** {@code hashtextextended} (PostgreSQL 11 and later): kept stable across releases for hash partitioning. */
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
            return serverVersionNum >= 110000 ? H64 : MD5;
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

    private TableContents() {}

    /**
     * Fixes {@link #SETTINGS} on the statement's connection: for the transaction only when {@code inTransaction}
     * (the dump's snapshot), for the session otherwise.
     */
    public static void normalize(Statement st, boolean inTransaction) throws SQLException {
        for (Map.Entry<String, String> setting : SETTINGS.entrySet()) {
            try (ResultSet ignored = st.executeQuery("SELECT set_config(" + SqlIdentifiers.literal(setting.getKey()) + ", "
                    + SqlIdentifiers.literal(setting.getValue()) + ", " + inTransaction + ")")) {
                // set_config returns the new value
            }
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
