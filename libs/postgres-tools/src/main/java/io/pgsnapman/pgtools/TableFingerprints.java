package io.pgsnapman.pgtools;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a table holds, in one comparable line: {@code <row count> <md5 of every row's text, in text order>}.
 * Two copies of a table have the same fingerprint exactly when they hold the same rows. Reads every row, so
 * for comparisons of test, demo and benchmark sized tables, not for production-sized ones.
 */
public final class TableFingerprints {

    private TableFingerprints() {}

    /** The fingerprint of each table (names as given, e.g. {@code orders} or {@code audit.log}, unquoted parts). */
    public static Map<String, String> of(Connection connection, List<String> tables) throws SQLException {
        Map<String, String> result = new LinkedHashMap<>();
        try (Statement st = connection.createStatement()) {
            for (String table : tables) {
                String qualified = String.join(".", Arrays.stream(table.split("\\.", 2))
                        .map(SqlIdentifiers::quote).toList());
                try (ResultSet rs = st.executeQuery("SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, '|'"
                        + " ORDER BY t::text), '')) FROM " + qualified + " t")) {
                    rs.next();
                    result.put(table, rs.getString(1));
                }
            }
        }
        return result;
    }
}
