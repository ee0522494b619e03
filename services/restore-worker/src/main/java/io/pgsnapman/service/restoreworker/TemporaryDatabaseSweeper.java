package io.pgsnapman.service.restoreworker;

import io.pgsnapman.configcache.CompactedTopicCache;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.service.restoreworker.steps.ServerCatalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the temporary databases that crashed restores left on the target servers of this worker's pool. A
 * temporary database carries, in its comment, the lease of the request that fills it ({@link #MARK}); once
 * that lease is no longer held (its worker died, so the lease went stale) the database is dropped. Runs at
 * start and then every {@code leaseStaleAfter}, on a thread of its own; a server that cannot be reached is
 * tried again next time.
 */
final class TemporaryDatabaseSweeper implements AutoCloseable {

    /** The start of a temporary database's comment; the lease name follows. */
    static final String MARK = "pgsnapman: restore in progress under lease ";

    private static final Logger log = LoggerFactory.getLogger(TemporaryDatabaseSweeper.class);

    private final CompactedTopicCache<ServerConfig> servers;
    private final DumpRepository repository;
    private final RestoreExecutor executor;
    private final String workerPool;
    private final Duration leaseStaleAfter;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "temporary-database-sweeper");
        t.setDaemon(true);
        return t;
    });

    TemporaryDatabaseSweeper(CompactedTopicCache<ServerConfig> servers, DumpRepository repository, RestoreExecutor executor,
            String workerPool, Duration leaseStaleAfter) {
        this.servers = servers;
        this.repository = repository;
        this.executor = executor;
        this.workerPool = workerPool;
        this.leaseStaleAfter = leaseStaleAfter;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::sweepQuietly, leaseStaleAfter.toMillis(), leaseStaleAfter.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** One sweep over every restore target of the pool; the names of the databases dropped. */
    List<String> sweep() {
        List<String> dropped = new ArrayList<>();
        for (ServerConfig server : servers.values()) {
            boolean target = server.getAllowRestores() || server.getVerification() != null;
            if (!target || !workerPool.equals(server.getWorkerPool())) {
                continue;
            }
            try (Connection admin = executor.steps().connectToMaintenance(server)) {
                for (String[] candidate : marked(admin)) {
                    if (!repository.leaseHeld(candidate[1], leaseStaleAfter)) {
                        log.warn("dropping temporary database {} on {}: its restore's lease {} is no longer held",
                                candidate[0], server.getName(), candidate[1]);
                        ServerCatalog.drop(admin, candidate[0]);
                        dropped.add(candidate[0]);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                log.warn("cannot sweep temporary databases on {}: {}", server.getName(), e.getMessage());
            }
        }
        return dropped;
    }

    /** {database, lease} of every database marked as a restore's temporary database. */
    private static List<String[]> marked(Connection admin) throws SQLException {
        List<String[]> found = new ArrayList<>();
        try (PreparedStatement st = admin.prepareStatement("SELECT datname, shobj_description(oid, 'pg_database')"
                + " FROM pg_database WHERE starts_with(shobj_description(oid, 'pg_database'), ?)")) {
            st.setString(1, MARK);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    found.add(new String[] {rs.getString(1), rs.getString(2).substring(MARK.length())});
                }
            }
        }
        return found;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.error("sweeping temporary databases failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
