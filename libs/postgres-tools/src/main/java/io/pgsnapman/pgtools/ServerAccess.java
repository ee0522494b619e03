package io.pgsnapman.pgtools;

import io.pgsnapman.events.config.ServerConfig;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a worker reaches a configured server: connection settings with the password resolved here, on the worker
 * (never from an event), and the client tools for the server's binary directory, located once per directory.
 */
public final class ServerAccess {

    private final CredentialResolver credentials;
    private final ToolRunner runner;
    private final String path;
    private final Map<String, PgToolset> toolsets = new ConcurrentHashMap<>();

    /**
     * @param path the {@code PATH} to look for client tools on when a server names no binary directory
     */
    public ServerAccess(CredentialResolver credentials, ToolRunner runner, String path) {
        this.credentials = credentials;
        this.runner = runner;
        this.path = path;
    }

    /** Connection settings for {@code database} on the server. */
    public PgConnection connection(ServerConfig server, String database) {
        return new PgConnection(server.getHost(), server.getPort(), server.getUsername(), database,
                server.getSslMode().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                credentials.resolve(server.getCredentialRef()).orElse(null));
    }

    /**
     * The client tools for the server: its {@code pgBinDir}, else the newest on the path.
     *
     * @throws IllegalStateException when no tools are found there
     */
    public PgToolset tools(ServerConfig server) {
        return toolsets.computeIfAbsent(server.getPgBinDir() == null ? "" : server.getPgBinDir(),
                dir -> PgToolset.locate(dir.isEmpty() ? null : dir, path, runner));
    }
}
