package io.pgsnapman.service.dumpworker;

import io.pgsnapman.activity.ActivityReporter;
import io.pgsnapman.activity.ProgressTicker;
import io.pgsnapman.events.EventHeader;
import io.pgsnapman.events.Failure;
import io.pgsnapman.events.Outcome;
import io.pgsnapman.events.activity.ActivityLevel;
import io.pgsnapman.events.activity.SubjectType;
import io.pgsnapman.events.config.ServerConfig;
import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.events.dump.DumpRequested;
import io.pgsnapman.events.dump.DumpSpec;
import io.pgsnapman.events.dump.VerificationStatus;
import io.pgsnapman.pgtools.CredentialResolver;
import io.pgsnapman.pgtools.DumpKind;
import io.pgsnapman.pgtools.ExportedSnapshot;
import io.pgsnapman.pgtools.IncompatibleToolException;
import io.pgsnapman.pgtools.PgConnection;
import io.pgsnapman.pgtools.PgFailures;
import io.pgsnapman.pgtools.PgToolset;
import io.pgsnapman.pgtools.ServerAccess;
import io.pgsnapman.pgtools.ServerIntrospector;
import io.pgsnapman.pgtools.ToolResult;
import io.pgsnapman.pgtools.ToolRunner;
import io.pgsnapman.repository.DumpAlreadyExistsException;
import io.pgsnapman.repository.DumpReader;
import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.repository.DumpWriter;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.schemas.EventHeaders;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.service.dumpworker.settings.DumpWorkerProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one dump: reads the server's facts over JDBC, picks tools that can dump it, runs pg_dump (directory
 * format, the job's {@code -j}) or pg_dumpall into a repository writer, checks that pg_restore can list it,
 * commits it with its manifest written last, re-reads every checksum, and answers with a
 * {@link DumpCompleted}. Any failure is a FAILED outcome with the tool's exit code and stderr — the writer
 * is then discarded, so nothing half-written looks complete. A dump already complete in the repository (a
 * redelivered tick) is answered from its manifest without dumping again.
 */
final class DumpExecutor {

    private static final Logger log = LoggerFactory.getLogger(DumpExecutor.class);
    private static final String APP = "pgsnapman-dump-worker";

    private final DumpRepository repository;
    private final ToolRunner runner = new ToolRunner();
    private final ServerAccess servers;
    private final ServerIntrospector introspector = new ServerIntrospector(APP);
    private final ExecutorService counter = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dump-row-count");
        t.setDaemon(true);
        return t;
    });
    private final ProgressTicker progress = new ProgressTicker("dump-progress");
    private final ActivityReporter activity;
    private final Clock clock;
    private final DumpWorkerProperties properties;
    private final String producer;

    DumpExecutor(DumpRepository repository, ActivityReporter activity, Clock clock, DumpWorkerProperties properties) {
        this.repository = repository;
        this.servers = new ServerAccess(CredentialResolver.fromSystem(properties.credentialsDir()), runner,
                System.getenv().getOrDefault("PATH", ""));
        this.activity = activity;
        this.clock = clock;
        this.properties = properties;
        this.producer = "dump-worker/" + properties.instanceId();
    }

    /** A failure with its classification, raised inside {@link #run} and turned into a FAILED outcome. */
    private static final class DumpFailure extends Exception {
        private final Failure failure;

        DumpFailure(Failure failure) {
            super(failure.getReason());
            this.failure = failure;
        }
    }

    /** The outcome of the tick, already complete in the repository or dumped now. */
    DumpCompleted run(DumpRequested tick, ServerConfig server) {
        Optional<DumpReader> existing = repository.open(tick.getDumpId());
        if (existing.isPresent()) {
            log.info("dump {} is already complete; answering from its manifest", tick.getDumpId());
            return fromRepository(tick, existing.get(), now(), recordedVerification(existing.get().manifest()));
        }
        Instant started = now();
        activity.state(subject(tick), ActivityLevel.INFO, "dump started");
        try {
            DumpCompleted completed = dump(tick, server, started);
            activity.state(subject(tick), ActivityLevel.INFO, "dump SUCCEEDED, " + completed.getSizeBytes() + " bytes");
            return completed;
        } catch (DumpAlreadyExistsException e) {
            log.info("dump {} was completed by another worker meanwhile", tick.getDumpId());
            DumpReader reader = repository.open(tick.getDumpId()).orElseThrow();
            return fromRepository(tick, reader, started, recordedVerification(reader.manifest()));
        } catch (DumpFailure e) {
            log.warn("dump {} FAILED: {}", tick.getDumpId(), e.failure.getReason());
            activity.state(subject(tick), ActivityLevel.ERROR, "dump FAILED: " + e.failure.getReason());
            return failed(tick, started, e.failure);
        } catch (RuntimeException e) {
            log.error("dump {} FAILED unexpectedly", tick.getDumpId(), e);
            activity.state(subject(tick), ActivityLevel.ERROR, "dump FAILED: " + e.getMessage());
            return failed(tick, started, FailureCode.WORKER_ERROR.failure("worker error: " + e.getMessage()).build());
        }
    }

    private DumpCompleted dump(DumpRequested tick, ServerConfig server, Instant started) throws DumpFailure {
        DumpSpec spec = tick.getSpec();
        DumpKind kind = DumpKind.of(spec.getDumpType());
        boolean perDatabase = kind.perDatabase();
        if (perDatabase && spec.getDatabaseName() == null) {
            throw new DumpFailure(FailureCode.INVALID_SPEC.failure("dump type " + spec.getDumpType()
                    + " needs a database name").build());
        }
        PgConnection maintenance = servers.connection(server, server.getMaintenanceDatabase());
        ServerIntrospector.ServerVersion version;
        // Facts of the database are read before the dump; if that fails, pg_dump still runs, so the outcome
        // carries the tool's own message (e.g. a database that does not exist).
        ServerIntrospector.DatabaseFacts facts = null;
        List<ServerIntrospector.TableEstimate> tables = List.of();
        SQLException factsFailure = null;
        try (Connection c = introspector.connect(maintenance)) {
            version = introspector.serverVersion(c);
            if (perDatabase) {
                try {
                    facts = introspector.databaseFacts(c, spec.getDatabaseName());
                } catch (SQLException e) {
                    factsFailure = e;
                }
            }
        } catch (SQLException e) {
            throw new DumpFailure(PgFailures.of(e));
        }
        // With exact counts, the tables are listed and counted in a snapshot exported to pg_dump: the counts are
        // exactly the rows in the dump, which a restore must reproduce.
        ExportedSnapshot snapshot = null;
        if (perDatabase && factsFailure == null) {
            try {
                Connection c = introspector.connect(maintenance.withDatabase(spec.getDatabaseName()));
                if (kind.holdsData() && properties.exactRowCounts()) {
                    snapshot = ExportedSnapshot.export(c);
                    tables = dumpedTables(introspector.tableEstimates(snapshot.connection()), spec);
                } else {
                    try (c) {
                        tables = dumpedTables(introspector.tableEstimates(c), spec);
                    }
                }
            } catch (SQLException e) {
                factsFailure = e;
            }
        }
        boolean completed = false;
        try {
            DumpCompleted outcome = dumpWith(tick, server, started, spec, perDatabase, maintenance, version, facts, tables,
                    factsFailure, snapshot);
            completed = true;
            return outcome;
        } finally {
            if (snapshot != null) {
                try {
                    if (completed) {
                        snapshot.close();
                    } else {
                        snapshot.abort(); // a count may still run (or wait on a lock) on the counting thread
                    }
                } catch (SQLException e) {
                    log.debug("closing the snapshot of {}: {}", tick.getDumpId(), e.getMessage());
                }
            }
        }
    }

    private DumpCompleted dumpWith(DumpRequested tick, ServerConfig server, Instant started, DumpSpec spec,
            boolean perDatabase, PgConnection maintenance, ServerIntrospector.ServerVersion version,
            ServerIntrospector.DatabaseFacts facts, List<ServerIntrospector.TableEstimate> tables,
            SQLException factsFailure, ExportedSnapshot snapshot) throws DumpFailure {
        PgToolset tools;
        try {
            tools = servers.tools(server);
            tools.requireCanDump(version.version(), server.getName());
        } catch (IncompatibleToolException | IllegalArgumentException | IllegalStateException e) {
            throw new DumpFailure(FailureCode.TOOL_VERSION.failure(e.getMessage()).build());
        }

        try (DumpWriter writer = repository.begin(tick.getDumpId())) {
            Path target = writer.directory();
            PgConnection connection = perDatabase ? maintenance.withDatabase(spec.getDatabaseName()) : maintenance;
            CompletableFuture<Map<ServerIntrospector.TableEstimate, Long>> counting = snapshot == null ? null
                    : CompletableFuture.supplyAsync(() -> countQuietly(tick, snapshot, tables), counter);
            DumpKind kind = DumpKind.of(spec.getDumpType());
            ToolResult result = withProgress(tick, target, () -> runner.run(kind.command(tools::tool, spec, target,
                    snapshot == null ? null : snapshot.id()), connection.environment(APP), properties.toolTimeout(), null));
            // A failed pg_dump needs no counts, and a count may wait on a lock for ever: the snapshot is aborted instead.
            Map<ServerIntrospector.TableEstimate, Long> counts =
                    counting == null || !result.succeeded() ? Map.of() : counting.join();
            if (!result.succeeded()) {
                throw new DumpFailure(PgFailures.of((perDatabase ? "pg_dump" : "pg_dumpall") + (result.timedOut()
                        ? " timed out after " + properties.toolTimeout() : " exited with " + result.exitCode()), result));
            }
            if (factsFailure != null) {
                throw new DumpFailure(PgFailures.of(factsFailure));
            }
            boolean verify = tick.getVerify();
            Optional<Failure> unreadable = verify ? kind.unreadable(tools, runner, target) : Optional.empty();
            if (unreadable.isPresent()) {
                throw new DumpFailure(unreadable.get());
            }
            Manifest manifest = writer.commit(manifest(tick, server, version, tools, facts, tableRows(tables, counts, spec),
                    started));
            DumpReader reader = repository.open(tick.getDumpId()).orElseThrow();
            if (verify) {
                List<DumpReader.ChecksumMismatch> mismatches = reader.verify();
                if (!mismatches.isEmpty()) {
                    repository.delete(tick.getDumpId());
                    throw new DumpFailure(FailureCode.CHECKSUM_MISMATCH.failure("checksums do not match after writing: "
                            + mismatches).build());
                }
            }
            log.info("dump {} complete: {} files, {} bytes", tick.getDumpId(), manifest.files().size(), manifest.totalBytes());
            return fromRepository(tick, reader, started, verify ? VerificationStatus.VERIFIED : VerificationStatus.NOT_VERIFIED);
        }
    }

    /** The tables whose definitions are in the dump (pg_dump's --schema and --exclude-schema applied). */
    static List<ServerIntrospector.TableEstimate> dumpedTables(List<ServerIntrospector.TableEstimate> all, DumpSpec spec) {
        return all.stream()
                .filter(t -> spec.getSchemaName() == null || spec.getSchemaName().equals(t.schema()))
                .filter(t -> !spec.getExcludeSchemas().contains(t.schema()))
                .toList();
    }

    /** Exact counts where there are some, except for tables whose data is left out; estimates otherwise. */
    static List<Manifest.TableRows> tableRows(List<ServerIntrospector.TableEstimate> tables,
            Map<ServerIntrospector.TableEstimate, Long> counts, DumpSpec spec) {
        return tables.stream().map(t -> {
            Long exact = spec.getExcludeTableData().contains(t.schema() + "." + t.table()) ? null : counts.get(t);
            return exact == null ? new Manifest.TableRows(t.schema(), t.table(), t.rows(), false)
                    : new Manifest.TableRows(t.schema(), t.table(), exact, true);
        }).toList();
    }

    /** Counts rows in the dump's snapshot; on an error the manifest keeps estimates and says so. */
    private Map<ServerIntrospector.TableEstimate, Long> countQuietly(DumpRequested tick, ExportedSnapshot snapshot,
            List<ServerIntrospector.TableEstimate> tables) {
        try {
            return snapshot.countRows(tables);
        } catch (SQLException e) {
            log.warn("dump {}: exact row counts failed, keeping estimates: {}", tick.getDumpId(), e.getMessage());
            return Map.of();
        }
    }

    private ToolResult withProgress(DumpRequested tick, Path target, Supplier<ToolResult> work) {
        try (ProgressTicker.Ticking ticking = progress.every(properties.progressInterval(),
                () -> activity.progress(subject(tick), "dumping", sizeOf(target), null, "bytes"))) {
            return work.get();
        }
    }

    private Manifest manifest(DumpRequested tick, ServerConfig server, ServerIntrospector.ServerVersion version,
            PgToolset tools, ServerIntrospector.DatabaseFacts facts, List<Manifest.TableRows> tables, Instant started) {
        DumpSpec spec = tick.getSpec();
        return Manifest.builder().dumpId(tick.getDumpId()).dumpJobId(tick.getDumpJobId()).serverId(server.getServerId())
                .databaseName(spec.getDatabaseName()).schemaName(spec.getSchemaName()).dumpType(spec.getDumpType())
                .format(DumpKind.of(spec.getDumpType()).format()).trigger(tick.getTrigger())
                .scheduledAt(tick.getScheduledAt()).startedAt(started).finishedAt(now())
                .serverVersion(version.text()).pgDumpVersion(tools.version().toString())
                .database(facts == null ? null : new Manifest.DatabaseInfo(facts.owner(), facts.encoding(),
                        facts.collate(), facts.ctype(), facts.tablespace(), facts.connectionLimit(), facts.acl(),
                        facts.settings()))
                .tables(tables).verified(tick.getVerify()).pinned(tick.getPin()).workerId(properties.instanceId())
                .requestedBy(tick.getRequestedBy()).build();
    }

    private DumpCompleted fromRepository(DumpRequested tick, DumpReader reader, Instant started, VerificationStatus verification) {
        Manifest m = reader.manifest();
        return base(tick, Outcome.SUCCEEDED, m.startedAt() == null ? started : m.startedAt())
                .setFinishedAt(m.finishedAt() == null ? now() : m.finishedAt())
                .setLocation(m.dumpId())
                .setManifestSha256(reader.manifestSha256())
                .setFileCount(m.files().size())
                .setSizeBytes(m.totalBytes())
                .setStoredBytes(m.totalBytes())
                .setServerVersion(m.serverVersion())
                .setPgDumpVersion(m.pgDumpVersion())
                .setVerification(verification)
                .setPinned(m.pinned())
                .build();
    }

    /** Whether the dump was verified when it was written, as its manifest records. */
    private static VerificationStatus recordedVerification(Manifest manifest) {
        return manifest.verified() ? VerificationStatus.VERIFIED : VerificationStatus.NOT_VERIFIED;
    }

    private DumpCompleted failed(DumpRequested tick, Instant started, Failure failure) {
        return base(tick, Outcome.FAILED, started).setFinishedAt(now()).setFailure(failure)
                .setVerification(VerificationStatus.NOT_VERIFIED).build();
    }

    private DumpCompleted.Builder base(DumpRequested tick, Outcome outcome, Instant started) {
        EventHeader header = EventHeaders.following(tick.getHeader(), producer, clock);
        return DumpCompleted.newBuilder()
                .setHeader(header)
                .setDumpId(tick.getDumpId())
                .setDumpJobId(tick.getDumpJobId())
                .setServerId(tick.getServerId())
                .setSpec(tick.getSpec())
                .setOutcome(outcome)
                .setTrigger(tick.getTrigger())
                .setScheduledAt(tick.getScheduledAt())
                .setStartedAt(started)
                .setPinned(tick.getPin())
                .setWorkerId(properties.instanceId());
    }




    private static long sizeOf(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    private static ActivityReporter.Subject subject(DumpRequested tick) {
        return new ActivityReporter.Subject(SubjectType.DUMP, tick.getDumpId(), tick.getServerId(), tick.getDumpJobId(),
                tick.getHeader());
    }

    void close() {
        progress.close();
        counter.shutdownNow();
    }
}
