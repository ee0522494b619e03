package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.events.restore.RestoreOptions;
import io.pgsnapman.events.restore.RolePolicy;
import io.pgsnapman.events.restore.TablespacePolicy;
import io.pgsnapman.pgtools.SqlIdentifiers;
import io.pgsnapman.repository.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The SQL and the pg_restore arguments a restore issues, built from the manifest and the options alone (no
 * connection): the CREATE DATABASE statement, the database's own ACL and settings (which a single-database dump
 * does not hold), and pg_restore's command line. Every identifier is quoted, every value a literal.
 */
final class DatabaseStatements {

    private DatabaseStatements() {}

    /**
     * Creates the database with the dumped encoding and locale from {@code template0}; its owner and tablespace
     * only when the caller says so (the policy asks for them and they exist on the target).
     */
    static String createDatabase(String name, Manifest.DatabaseInfo info, boolean withOwner, boolean withTablespace) {
        StringBuilder sql = new StringBuilder("CREATE DATABASE ").append(ident(name)).append(" TEMPLATE template0");
        if (info != null) {
            sql.append(" ENCODING ").append(literal(info.encoding()))
                    .append(" LC_COLLATE ").append(literal(info.collate()))
                    .append(" LC_CTYPE ").append(literal(info.ctype()));
            if (withOwner) {
                sql.append(" OWNER ").append(ident(info.owner()));
            }
            if (withTablespace) {
                sql.append(" TABLESPACE ").append(ident(info.tablespace()));
            }
        }
        return sql.toString();
    }

    /**
     * The database's privileges as recorded ({@code aclitem} text such as {@code reporting=c/postgres}): PUBLIC's
     * defaults revoked, then one GRANT per entry whose grantee exists (grant-option markers are dropped). None when
     * nothing was recorded.
     */
    static List<String> acl(String database, List<String> aclItems, Predicate<String> roleExists) {
        if (aclItems.isEmpty()) {
            return List.of();
        }
        List<String> statements = new ArrayList<>();
        statements.add("REVOKE ALL ON DATABASE " + ident(database) + " FROM PUBLIC");
        for (String item : aclItems) {
            int eq = item.indexOf('=');
            int slash = item.indexOf('/', eq);
            if (eq < 0 || slash < 0) {
                continue;
            }
            String grantee = eq == 0 ? null : grantee(item).orElse(null);
            List<String> privileges = new ArrayList<>();
            for (char p : item.substring(eq + 1, slash).toCharArray()) {
                switch (p) {
                    case 'C' -> privileges.add("CREATE");
                    case 'T' -> privileges.add("TEMPORARY");
                    case 'c' -> privileges.add("CONNECT");
                    default -> { /* grant option markers */ }
                }
            }
            if (privileges.isEmpty() || (grantee != null && !roleExists.test(grantee))) {
                continue;
            }
            statements.add("GRANT " + String.join(", ", privileges) + " ON DATABASE " + ident(database) + " TO "
                    + (grantee == null ? "PUBLIC" : ident(grantee)));
        }
        return statements;
    }

    /** The database's own settings ({@code name=value}); a name that is not a plain GUC name is skipped. */
    static List<String> settings(String database, List<String> settings) {
        List<String> statements = new ArrayList<>();
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            String name = setting.substring(0, Math.max(eq, 0));
            if (eq > 0 && name.matches("[A-Za-z0-9_.]+")) {
                statements.add("ALTER DATABASE " + ident(database) + " SET " + name + " = "
                        + literal(setting.substring(eq + 1)));
            }
        }
        return statements;
    }

    /** The role an {@code aclitem} grants to, unquoted; empty for PUBLIC or text that is not an aclitem. */
    static Optional<String> grantee(String aclItem) {
        int eq = aclItem.indexOf('=');
        if (eq <= 0) {
            return Optional.empty();
        }
        String name = aclItem.substring(0, eq);
        return Optional.of(name.startsWith("\"") && name.endsWith("\"")
                ? name.substring(1, name.length() - 1).replace("\"\"", "\"") : name);
    }

    /**
     * pg_restore into {@code database}: in parallel, stopping at the first error, without owners and privileges
     * for NO_ROLE, without tablespaces for NO_TBLSPC, schema only if asked, and only the entries of
     * {@code useList} when given (one schema).
     */
    static List<String> pgRestore(Path tool, String database, RestoreOptions options, Path useList, Path dump) {
        List<String> command = new ArrayList<>(List.of(tool.toString(), "--dbname=" + database,
                "--jobs=" + options.getParallelJobs(), "--exit-on-error", "--no-password"));
        if (options.getRoles() == RolePolicy.NO_ROLE) {
            command.add("--no-owner");
            command.add("--no-privileges");
        }
        if (options.getTablespaces() == TablespacePolicy.NO_TBLSPC) {
            command.add("--no-tablespaces");
        }
        if (options.getSchemaOnly()) {
            command.add("--schema-only");
        }
        if (useList != null) {
            command.add("--use-list=" + useList);
        }
        command.add(dump.toString());
        return command;
    }

    /**
     * The reading half of a TRUNCATE reload: the dump's data as SQL on stdout, only {@code schema}'s when given;
     * as a superuser with triggers disabled, so foreign keys are not checked row by row while loading.
     */
    static List<String> dataOnlyRestore(Path tool, boolean superuser, String schema, Path dump) {
        List<String> command = new ArrayList<>(List.of(tool.toString(), "--data-only", "--file=-"));
        if (superuser) {
            command.add("--disable-triggers");
        }
        if (schema != null) {
            command.add("--schema=" + schema);
        }
        command.add(dump.toString());
        return command;
    }

    /**
     * The writing half of a TRUNCATE reload: psql in one transaction, stopping at the first error, that empties
     * {@code tables} (already quoted and qualified) and then runs the data read from stdin.
     */
    static List<String> truncateAndLoad(Path psql, String database, List<String> tables) {
        List<String> command = new ArrayList<>(List.of(psql.toString(), "--no-psqlrc", "--quiet", "--no-password",
                "--set=ON_ERROR_STOP=1", "--single-transaction", "--dbname=" + database));
        if (!tables.isEmpty()) {
            command.add("--command=TRUNCATE TABLE " + String.join(", ", tables));
        }
        command.add("--file=-");
        return command;
    }

    private static String ident(String name) {
        return SqlIdentifiers.quote(name);
    }

    private static String literal(String value) {
        return SqlIdentifiers.literal(value);
    }
}
