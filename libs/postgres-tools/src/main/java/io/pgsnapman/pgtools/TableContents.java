package io.pgsnapman.pgtools;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A table's exact row count and an order-independent content checksum, read in one scan: the sum, as an exact
 * {@code numeric}, of a 64-bit hash of every row — by default each column hashed by its type's own extended hash
 * function (the text form's for a type without one), seeded by the column's name, combined by XOR
 * ({@link Algorithm#HC64}). Taken the same way at dump time (inside the snapshot pg_dump reads) and after a test
 * restore, so a table restored row for row gives the same pair, whatever order the rows come back in and whatever
 * order its columns have. The text form depends on session settings, so {@link #normalize} fixes every one an
 * output function reads before anything is counted. Compare checksums within one PostgreSQL major only. See ADR 14.
 */
public final class TableContents {

    /** A table's row count and checksum; the checksum names its {@link Algorithm} ({@code hr64:…}, {@code h64:…}). */
    public record Summary(long rows, String checksum) {}

    /** How each row is hashed; the prefix of the checksum says which, so the restore side hashes the same way. */
    public enum Algorithm {
        /**
         * Per column (PostgreSQL 11 and later): the XOR over the table's columns of
         * {@code coalesce(f(column, seed), nullMark)}, where {@code f} is the extended hash function of the column
         * type's default hash operator class ({@code hashtextextended} of the text form for a type without one that
         * takes the type itself: arrays, enums, ranges, json, money, geometric types, timestamptz, date, bool,
         * bytea), collatable values compared in {@code "C"}, and {@code seed} and {@code nullMark} come from the
         * SHA-256 of the column's name. No whole-row value is formed, so a quarter to 40 % cheaper than {@link #HR64}
         * (ADR 14), and every column type is covered.
         */
        HC64("hc64", null),
        /**
         * {@code hash_record_extended} (PostgreSQL 14 and later): each column's extended hash function, the ones hash
         * partitioning keeps stable, over the whole row; fails on a row with a column type without one (json, money,
         * point, …), for which dumps took {@link #H64}. What dumps took before {@link #HC64}; still read.
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
            return serverVersionNum >= 110000 ? HC64 : MD5;
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

    /** Counts and hashes one table in one scan, on a connection {@link #normalize}d before. */
    public static Summary read(Statement st, String schema, String table, Algorithm algorithm) throws SQLException {
        String relation = SqlIdentifiers.quote(schema) + "." + SqlIdentifiers.quote(table);
        String rowHash = algorithm == Algorithm.HC64 ? rowHash(columns(st, relation)) : algorithm.rowHash;
        try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(" + rowHash + "), 0) FROM " + relation + " t")) {
            rs.next();
            return new Summary(rs.getLong(1), algorithm.checksum(rs.getBigDecimal(2)));
        }
    }

    /** A column as {@link Algorithm#HC64} hashes it: its type's extended hash function, if it has one, by name. */
    record Column(String name, String hashFunction, boolean collatable) {}

    /**
     * Which hash function each column's type (a domain's: its base type's) has, one that takes that type itself
     * (not timestamptz's, date's, bool's or bytea's, declared on another type or {@code internal}); one catalog read.
     */
    private static final String COLUMNS = """
            SELECT a.attname, a.attcollation <> 0,
                   (SELECT p.amproc::pg_catalog.regproc::pg_catalog.text
                      FROM pg_catalog.pg_opclass oc
                      JOIN pg_catalog.pg_am am ON am.oid = oc.opcmethod AND am.amname = 'hash'
                      JOIN pg_catalog.pg_amproc p ON p.amprocfamily = oc.opcfamily AND p.amprocnum = 2
                           AND p.amproclefttype = oc.opcintype AND p.amprocrighttype = oc.opcintype
                      JOIN pg_catalog.pg_proc f ON f.oid = p.amproc AND f.proargtypes[0] = oc.opcintype
                     WHERE oc.opcdefault
                       AND oc.opcintype = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
                     LIMIT 1)
              FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
             WHERE a.attrelid = %s::pg_catalog.regclass AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attname""";

    private static List<Column> columns(Statement st, String relation) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(COLUMNS.formatted(SqlIdentifiers.literal(relation)))) {
            while (rs.next()) {
                columns.add(new Column(rs.getString(1), rs.getString(3), rs.getBoolean(2)));
            }
        }
        return columns;
    }

    /** {@link Algorithm#HC64}'s row hash over these columns of a table aliased {@code t}. */
    static String rowHash(List<Column> columns) {
        if (columns.isEmpty()) {
            return "0::pg_catalog.int8";
        }
        List<String> hashes = new ArrayList<>();
        for (Column column : columns) {
            long[] seeds = seeds(column.name());
            String value = "t." + SqlIdentifiers.quote(column.name());
            String hash = column.hashFunction() != null
                    ? column.hashFunction() + "(" + value + (column.collatable() ? " COLLATE \"C\"" : "")
                    : "pg_catalog.hashtextextended(" + value + "::pg_catalog.text COLLATE \"C\"";
            hashes.add("coalesce(" + hash + ", " + seeds[0] + "), " + seeds[1] + ")");
        }
        return String.join(" # ", hashes);
    }

    /**
     * A column's seed and the value standing for its NULL: the first two 63-bit halves of the SHA-256 of its name.
     * Part of every recorded {@code hc64} checksum: changing it makes older dumps' checksums differ.
     */
    static long[] seeds(String column) {
        try {
            ByteBuffer digest = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256")
                    .digest(column.getBytes(StandardCharsets.UTF_8)));
            return new long[] {digest.getLong() & Long.MAX_VALUE, digest.getLong() & Long.MAX_VALUE};
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
