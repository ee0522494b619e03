package io.pgsnapman.pgtools;

/**
 * Quoting for SQL we build ourselves: every identifier is quoted (as {@code quote_ident} would, but always),
 * every value a literal. Only for statements that cannot take bind parameters (DDL); use placeholders
 * elsewhere.
 */
public final class SqlIdentifiers {

    private SqlIdentifiers() {}

    /** {@code "name"} with embedded quotes doubled; case and dots stay literal. */
    public static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** {@code 'value'} with embedded quotes doubled (standard_conforming_strings, on since 9.1). */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
