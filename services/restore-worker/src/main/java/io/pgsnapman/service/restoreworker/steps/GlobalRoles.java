package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.pgtools.SqlIdentifiers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Role definitions read from a {@code pg_dumpall --globals-only} (or {@code --schema-only}) script, to
 * create on a target the roles a restore needs. Only what is safe to carry between environments is kept:
 * LOGIN, INHERIT, CREATEDB, CREATEROLE (and their NO forms) and CONNECTION LIMIT, and role memberships.
 * Passwords, SUPERUSER, REPLICATION, BYPASSRLS, expiry and per-role settings are left out on purpose: a copy
 * of production on a test server must not carry production's credentials or powers.
 */
final class GlobalRoles {

    private static final String IDENT = "(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)";
    private static final Pattern CREATE = Pattern.compile("^CREATE ROLE " + IDENT + ";$");
    private static final Pattern ALTER = Pattern.compile("^ALTER ROLE " + IDENT + " WITH (.*);$");
    private static final Pattern GRANT = Pattern.compile("^GRANT " + IDENT + " TO " + IDENT + "(.*);$");
    private static final Pattern LIMIT = Pattern.compile("\\bCONNECTION LIMIT (-?\\d+)");
    private static final List<String> KEPT = List.of("NOLOGIN", "LOGIN", "NOINHERIT", "INHERIT", "NOCREATEDB", "CREATEDB",
            "NOCREATEROLE", "CREATEROLE");

    /** A role's kept attributes, e.g. {@code LOGIN NOCREATEDB CONNECTION LIMIT 5}. */
    private final Map<String, String> attributes = new LinkedHashMap<>();

    /** A membership: {@code member} is granted {@code group}. */
    record Membership(String group, String member, boolean adminOption) {}

    private final List<Membership> memberships = new ArrayList<>();

    private GlobalRoles() {}

    static GlobalRoles none() {
        return new GlobalRoles();
    }

    static GlobalRoles parse(String script) {
        GlobalRoles roles = new GlobalRoles();
        for (String raw : script.split("\n")) {
            String line = raw.strip();
            Matcher m;
            if ((m = CREATE.matcher(line)).matches()) {
                roles.attributes.putIfAbsent(unquote(m.group(1)), "");
            } else if ((m = ALTER.matcher(line)).matches()) {
                roles.attributes.put(unquote(m.group(1)), keptAttributes(m.group(2)));
            } else if ((m = GRANT.matcher(line)).matches()) {
                roles.memberships.add(new Membership(unquote(m.group(1)), unquote(m.group(2)),
                        m.group(3).contains("ADMIN OPTION") || m.group(3).contains("ADMIN TRUE")));
            }
        }
        return roles;
    }

    private static String keptAttributes(String all) {
        String withoutPassword = all.replaceAll("PASSWORD '(?:[^']|'')*'", "").replaceAll("VALID UNTIL '(?:[^']|'')*'", "");
        List<String> kept = new ArrayList<>();
        for (String token : withoutPassword.split("\\s+")) {
            if (KEPT.contains(token)) {
                kept.add(token);
            }
        }
        Matcher limit = LIMIT.matcher(withoutPassword);
        if (limit.find()) {
            kept.add("CONNECTION LIMIT " + Integer.parseInt(limit.group(1)));
        }
        return String.join(" ", kept);
    }

    /** The statement creating the role as defined in the script, if the script defines it. */
    Optional<String> createStatement(String role) {
        String kept = attributes.get(role);
        if (kept == null) {
            return Optional.empty();
        }
        return Optional.of("CREATE ROLE " + SqlIdentifiers.quote(role) + (kept.isEmpty() ? " NOLOGIN" : " WITH " + kept));
    }

    /** Memberships that involve the role (as group or member). */
    List<Membership> membershipsOf(String role) {
        return memberships.stream().filter(m -> m.group().equals(role) || m.member().equals(role)).toList();
    }

    static String grantStatement(Membership m) {
        return "GRANT " + SqlIdentifiers.quote(m.group()) + " TO " + SqlIdentifiers.quote(m.member())
                + (m.adminOption() ? " WITH ADMIN OPTION" : "");
    }

    private static String unquote(String ident) {
        return ident.startsWith("\"") ? ident.substring(1, ident.length() - 1).replace("\"\"", "\"") : ident;
    }
}
