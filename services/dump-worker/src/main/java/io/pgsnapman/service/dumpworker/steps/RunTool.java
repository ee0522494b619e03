package io.pgsnapman.service.dumpworker.steps;

import io.pgsnapman.activity.ProgressTicker;
import io.pgsnapman.events.Failure;
import io.pgsnapman.events.dump.DumpSpec;
import io.pgsnapman.pgtools.DumpKind;
import io.pgsnapman.pgtools.ExportedSnapshot;
import io.pgsnapman.pgtools.PgConnection;
import io.pgsnapman.pgtools.ServerIntrospector;
import io.pgsnapman.pgtools.TableContents;
import io.pgsnapman.pgtools.ToolCalls;
import io.pgsnapman.pgtools.ToolResult;
import io.pgsnapman.worksteps.Step;
import io.pgsnapman.worksteps.StepFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 7: runs pg_dump (directory format, the job's {@code -j}, in the exported snapshot) or pg_dumpall into the
 * staging directory, reporting the bytes written every progress interval. Meanwhile the rows are counted in the
 * snapshot on another thread, and with dedup each file pg_dump is done with is chunked ({@link ChunkWhileWriting}).
 * A failed tool is a FAILED outcome with its exit code and stderr; undo stops the chunking. A SCRIPT dump skips it
 * ({@link RunScript}).
 */
final class RunTool implements Step<DumpContext> {

    private static final Logger log = LoggerFactory.getLogger(RunTool.class);

    private final ToolCalls tools;
    private final Executor counter;
    private final ProgressTicker progress;

    RunTool(ToolCalls tools, Executor counter, ProgressTicker progress) {
        this.tools = tools;
        this.counter = counter;
        this.progress = progress;
    }

    @Override
    public String name() {
        return "run tool";
    }

    @Override
    public void run(DumpContext dump) throws StepFailure {
        if (dump.kind.scripted()) {
            return;
        }
        Path target = dump.writer.directory();
        PgConnection connection = dump.databaseConnection();
        ExportedSnapshot snapshot = dump.snapshot;
        if (snapshot != null) {
            dump.counting = CompletableFuture.supplyAsync(() -> countQuietly(dump.dumpId(), snapshot, dump.tables), counter);
        }
        List<String> command = dump.kind.command(dump.tools::tool, toolSpec(dump), target,
                snapshot == null ? null : snapshot.id());
        if (dump.tick.getDedup() && dump.kind.perDatabase()) {
            OpenFiles.ofThisProcess().ifPresent(open ->
                    dump.chunking = ChunkWhileWriting.of(dump.writer, dump.spec.getParallelJobs()).watch(open));
        }
        ToolResult result;
        try (ProgressTicker.Ticking ticking = progress.bytes(dump.subject, "dumping", () -> sizeOf(target))) {
            result = tools.run(command, connection);
        }
        Optional<Failure> failed = failure(dump.kind, result, tools);
        if (failed.isPresent()) {
            throw StepFailure.failed(failed.get());
        }
    }

    @Override
    public void undo(DumpContext dump) {
        dump.stopChunking();
    }

    /** The spec the tool runs with: with dedup, uncompressed (the repository compresses the chunks). */
    static DumpSpec toolSpec(DumpContext dump) {
        return dump.tick.getDedup() ? DumpSpec.newBuilder(dump.spec).setCompressionLevel(0).build() : dump.spec;
    }

    /** How the tool failed, if it did: its exit code or its timeout, and its stderr classified. */
    static Optional<Failure> failure(DumpKind kind, ToolResult result, ToolCalls tools) {
        return result.succeeded() ? Optional.empty()
                : Optional.of(tools.failure(kind.perDatabase() ? "pg_dump" : "pg_dumpall", result));
    }

    /** Counts rows in the dump's snapshot; on an error the manifest keeps estimates and says so. */
    private static Map<ServerIntrospector.TableEstimate, TableContents.Summary> countQuietly(String dumpId,
            ExportedSnapshot snapshot, List<ServerIntrospector.TableEstimate> tables) {
        try {
            return snapshot.contents(tables);
        } catch (SQLException e) {
            log.warn("dump {}: exact row counts failed, keeping estimates: {}", dumpId, e.getMessage());
            return Map.of();
        }
    }

    private static long sizeOf(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
