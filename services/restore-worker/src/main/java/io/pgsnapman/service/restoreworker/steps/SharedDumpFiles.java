package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.repository.DirectoryTrees;
import io.pgsnapman.repository.DumpReader;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.worksteps.StepFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a dump as pg_restore reads them, checked against the manifest before anything touches a target,
 * shared by the restores of that dump that run at the same time (a fan-out): one reading, not one per restore.
 * A plain dump is read where it is, every file's SHA-256 compared; a dump kept as chunks is rebuilt into this
 * worker's scratch directory, every chunk's hash and every file's SHA-256 checked as it is written, and the copy
 * is deleted when its last restore is done. Whatever is damaged is CHECKSUM_MISMATCH naming the file (and the
 * chunk). A restore starting after the last one of a dump ended reads again.
 */
final class SharedDumpFiles {

    private static final Logger log = LoggerFactory.getLogger(SharedDumpFiles.class);

    /** A restore's hold on a dump's checked files; closing it lets them go. Idempotent. */
    interface Held extends AutoCloseable {
        Path directory();

        @Override
        void close();
    }

    private final Path scratch;
    private final Map<String, Reading> readings = new HashMap<>();

    /** @param scratch where chunked dumps are rebuilt; emptied now (a crashed worker's copies) */
    SharedDumpFiles(Path scratch) {
        this.scratch = scratch;
        deleteTree(scratch);
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the scratch directory " + scratch, e);
        }
    }

    /** One dump's reading and the restores holding it. */
    private static final class Reading {
        final CompletableFuture<List<DumpReader.ChecksumMismatch>> result = new CompletableFuture<>();
        final Path directory;
        int holders;

        Reading(Path directory) {
            this.directory = directory;
        }
    }

    /** The dump's checked files, read now or by a restore of the same dump still running. */
    Held hold(DumpReader dump) throws StepFailure {
        String key = dump.manifest().dumpId() + "@" + dump.manifestSha256();
        boolean mine;
        Reading reading;
        synchronized (readings) {
            reading = readings.get(key);
            mine = reading == null;
            if (mine) {
                reading = new Reading(dump.manifest().chunked() ? scratch.resolve(UUID.randomUUID().toString())
                        : dump.directory());
                readings.put(key, reading);
            }
            reading.holders++;
        }
        Held held = release(key, reading);
        if (mine) {
            read(dump, reading);
        }
        List<DumpReader.ChecksumMismatch> mismatches;
        try {
            mismatches = reading.result.join();
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
        if (!mismatches.isEmpty()) {
            held.close();
            throw StepFailure.failed(FailureCode.CHECKSUM_MISMATCH
                    .failure("dump '" + dump.manifest().dumpId() + "' is damaged: " + mismatches).build());
        }
        return held;
    }

    private void read(DumpReader dump, Reading reading) {
        try {
            if (dump.manifest().chunked()) {
                Files.createDirectories(reading.directory);
                long started = System.nanoTime();
                reading.result.complete(dump.materialize(reading.directory));
                log.info("dump {} rebuilt from its chunks in {} ms", dump.manifest().dumpId(),
                        (System.nanoTime() - started) / 1_000_000);
            } else {
                reading.result.complete(dump.verify());
            }
        } catch (IOException | RuntimeException e) {
            reading.result.completeExceptionally(e instanceof IOException io ? new UncheckedIOException(io) : e);
        }
    }

    private Held release(String key, Reading reading) {
        return new Held() {
            private boolean closed;

            @Override
            public Path directory() {
                return reading.directory;
            }

            @Override
            public void close() {
                boolean last;
                synchronized (readings) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    last = --reading.holders == 0;
                    if (last) {
                        readings.remove(key, reading);
                    }
                }
                if (last && reading.directory.startsWith(scratch)) {
                    deleteTree(reading.directory);
                }
            }
        };
    }

    private static void deleteTree(Path root) {
        try {
            DirectoryTrees.delete(root);
        } catch (UncheckedIOException e) {
            log.warn("{}", e.getMessage());
        }
    }
}
