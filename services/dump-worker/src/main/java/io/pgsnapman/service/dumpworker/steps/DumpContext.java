package io.pgsnapman.service.dumpworker.steps;

import io.pgsnapman.activity.ActivityReporter;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.dump.DumpSpec;
import io.pgsnapman.pgtools.DumpKind;
import io.pgsnapman.pgtools.ExportedSnapshot;
import io.pgsnapman.pgtools.PgConnection;
import io.pgsnapman.pgtools.PgToolset;
import io.pgsnapman.pgtools.ServerIntrospector;
import io.pgsnapman.pgtools.TableContents;
import io.pgsnapman.repository.DumpReader;
import io.pgsnapman.repository.DumpWriter;
import io.pgsnapman.repository.Manifest;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dump as the steps see it: the tick and its server, and what each step leaves for the next (the server's
 * facts, the snapshot, the tools, the staging writer, the counts, the committed dump). Closing it releases what a
 * step left open (the snapshot, the writer — which discards an uncommitted dump).
 */
public final class DumpContext implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DumpContext.class);

    final DumpRequested tick;
    final ServerConfig server;
    final DumpSpec spec;
    final DumpKind kind;
    final Instant started;
    final ActivityReporter.Subject subject;

    PgConnection maintenance;
    ServerIntrospector.ServerVersion version;
    /** Facts of the dumped database; null for a cluster-wide kind or when they could not be read. */
    ServerIntrospector.DatabaseFacts facts;
    /** Why the database's facts or tables could not be read; reported only if the tool itself succeeds. */
    SQLException factsFailure;
    List<ServerIntrospector.TableEstimate> tables = List.of();
    ExportedSnapshot snapshot;
    PgToolset tools;
    /** The version of the tools that dump, for the manifest. */
    String toolVersion;
    DumpWriter writer;
    /** Chunks the tool's finished files while it runs (dedup, where open files can be seen); null otherwise. */
    ChunkWhileWriting chunking;
    CompletableFuture<Map<ServerIntrospector.TableEstimate, TableContents.Summary>> counting;
    List<Manifest.TableRows> rows = List.of();
    DumpReader reader;

    public DumpContext(DumpRequested tick, ServerConfig server, Instant started, ActivityReporter.Subject subject) {
        this.tick = tick;
        this.server = server;
        this.spec = tick.getSpec();
        this.kind = DumpKind.of(spec.getDumpType());
        this.started = started;
        this.subject = subject;
    }

    /** The committed dump, once the commit step ran. */
    public DumpReader reader() {
        return reader;
    }

    /** Whether the tick asks for the dump to be read back (pg_restore --list, checksums). */
    public boolean verify() {
        return tick.getVerify();
    }

    String dumpId() {
        return tick.getDumpId();
    }

    /** The dumped database (the maintenance database for a cluster-wide kind), as the tool, script and hooks reach it. */
    PgConnection databaseConnection() {
        return kind.perDatabase() ? maintenance.withDatabase(spec.getDatabaseName()) : maintenance;
    }

    /** Ends the snapshot's transaction once its counts are read; the tool is done with it. */
    void closeSnapshot() {
        ExportedSnapshot open = snapshot;
        snapshot = null;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException e) {
                log.debug("closing the snapshot of {}: {}", dumpId(), e.getMessage());
            }
        }
    }

    /** Ends the snapshot at once, without waiting for a count that may be waiting on a lock. */
    void abortSnapshot() {
        ExportedSnapshot open = snapshot;
        snapshot = null;
        if (open != null) {
            try {
                open.abort();
            } catch (SQLException e) {
                log.debug("aborting the snapshot of {}: {}", dumpId(), e.getMessage());
            }
        }
    }

    /** Stops chunking while the tool writes, abandoning what is under way (the staging is discarded next). */
    void stopChunking() {
        if (chunking != null) {
            chunking.close();
            chunking = null;
        }
    }

    @Override
    public void close() {
        abortSnapshot();
        stopChunking();
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }
}
