package io.pgsnapman.service.config.api;

/** Patterns for names accepted by the API. Every name that reaches SQL or a tool is quoted as well. */
final class Names {

    /** Names of servers and jobs: lower-case letters, digits, '.', '_', '-'. */
    static final String RESOURCE_NAME = "[a-z0-9][a-z0-9._-]{0,62}";
    /** Host names and IP addresses. */
    static final String HOST = "[A-Za-z0-9]([A-Za-z0-9.:-]{0,252})";
    /** PostgreSQL database, schema and role names as PgSnapMan accepts them (at most 63 bytes). */
    static final String PG_NAME = "[A-Za-z0-9_][A-Za-z0-9_ .$-]{0,62}";
    /** A schema-qualified table, schema.table. */
    static final String PG_QUALIFIED_TABLE = "[A-Za-z0-9_][A-Za-z0-9_ .$-]{0,62}\\.[A-Za-z0-9_][A-Za-z0-9_ $-]{0,62}";
    /** Credential references: plain names, never paths. */
    static final String CREDENTIAL_REF = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";
    /** Worker pools. */
    static final String POOL = "[a-z0-9][a-z0-9-]{0,62}";
    /** Local times of day. */
    static final String HH_MM = "\\d{2}:\\d{2}";

    private Names() {}
}
