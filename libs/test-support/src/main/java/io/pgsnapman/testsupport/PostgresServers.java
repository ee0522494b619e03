package io.pgsnapman.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Several throw-away PostgreSQL servers started together; {@link #close()} stops and removes all of them. */
public final class PostgresServers implements AutoCloseable {

    private final List<PostgresServer> servers;

    private PostgresServers(List<PostgresServer> servers) {
        this.servers = List.copyOf(servers);
    }

    /** Starts {@code count} servers in parallel, named {@code pg1 .. pgN}. On any failure none is left running. */
    public static PostgresServers start(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one PostgreSQL server, not " + count);
        }
        List<CompletableFuture<PostgresServer>> starting = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String name = "pg" + i;
            starting.add(CompletableFuture.supplyAsync(() -> PostgresServer.start(name)));
        }
        List<PostgresServer> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<PostgresServer> future : starting) {
            try {
                started.add(future.join());
            } catch (CompletionException e) {
                failure = e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        if (failure != null) {
            started.forEach(PostgresServer::close);
            throw failure;
        }
        return new PostgresServers(started);
    }

    /** The i-th server, from 0. */
    public PostgresServer get(int index) {
        return servers.get(index);
    }

    public List<PostgresServer> all() {
        return servers;
    }

    public int size() {
        return servers.size();
    }

    @Override
    public void close() {
        servers.forEach(PostgresServer::close);
    }
}
