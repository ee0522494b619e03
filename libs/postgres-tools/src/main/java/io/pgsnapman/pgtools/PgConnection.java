package io.pgsnapman.pgtools;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where and as whom to connect: host, port, role, database, libpq sslmode, and the password resolved on
 * this machine (or none, to let libpq use {@code .pgpass}). Client tools get it through their environment
 * ({@code PGHOST}, {@code PGPASSWORD}, ...), never on a command line; {@link #toString()} never shows the
 * password.
 */
public record PgConnection(String host, int port, String username, String database, String sslMode, String password) {

    private static final Pattern SSL_MODES = Pattern.compile("disable|allow|prefer|require|verify-ca|verify-full");

    public PgConnection {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(database, "database");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, not " + port);
        }
        if (sslMode == null || !SSL_MODES.matcher(sslMode).matches()) {
            throw new IllegalArgumentException("sslmode must be one of " + SSL_MODES.pattern().replace('|', ',') + ", not " + sslMode);
        }
    }

    /** The same server and role, another database. */
    public PgConnection withDatabase(String otherDatabase) {
        return new PgConnection(host, port, username, otherDatabase, sslMode, password);
    }

    /** libpq environment for a client tool. */
    public Map<String, String> environment(String applicationName) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", host);
        env.put("PGPORT", Integer.toString(port));
        env.put("PGUSER", username);
        env.put("PGDATABASE", database);
        env.put("PGSSLMODE", sslMode);
        env.put("PGAPPNAME", applicationName);
        env.put("PGCONNECT_TIMEOUT", "15");
        if (password != null) {
            env.put("PGPASSWORD", password);
        }
        return env;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public Properties jdbcProperties(String applicationName) {
        Properties properties = new Properties();
        properties.setProperty("user", username);
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("sslmode", sslMode);
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("connectTimeout", "15");
        return properties;
    }

    @Override
    public String toString() {
        return username + "@" + host + ":" + port + "/" + database + " (sslmode=" + sslMode
                + (password == null ? ", no password" : ", password set") + ")";
    }
}
