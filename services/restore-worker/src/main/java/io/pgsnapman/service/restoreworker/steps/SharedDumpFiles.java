package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.repository.DirectoryTrees;
import io.pgsnapman.repository.DumpReader;
import io.pgsnapman.repository.PipedDump;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.worksteps.StepFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a dump as pg_restore reads them, checked against the manifest. A plain dump is read where it is,
 * every file's SHA-256 compared, before anything touches a target. A dump kept as chunks is either
 * <ul>
 *   <li><b>piped</b> (a restore into a database it creates and throws away on failure): its large files reach
 *   pg_restore through named pipes fed from the chunks as it reads ({@link PipedDump}), one laying-out per
 *   restore; a chunk found damaged on the way shows in {@link Held#damage()} after the load, before the database
 *   takes the target's place; or</li>
 *   <li><b>rebuilt</b> whole into this worker's scratch directory, every chunk's hash and every file's SHA-256
 *   checked, before the target is touched (a restore into the target itself: DROP_BEFORE, TRUNCATE).</li>
 * </ul>
 * A plain or rebuilt dump is shared by the restores of that dump that run at the same time (a fan-out): one
 * reading, not one per restore, deleted when its last restore is done; a restore starting after the last one of a
 * dump ended reads again. Whatever is damaged is CHECKSUM_MISMATCH naming the file (and the chunk).
 */
final class SharedDumpFiles {

    private static final Logger log = LoggerFactory.getLogger(SharedDumpFiles.class);

    /** A restore's hold on a dump's checked files; closing it lets them go. Idempotent. */
    interface Held extends AutoCloseable {
        Path directory();

        /** A file found damaged while pg_restore read it (piped files only); check after the load. */
        default Optional<DumpReader.ChecksumMismatch> damage() {
            return Optional.empty();
        }

        @Override
        void close();
    }

    private final Path scratch;
    private final long pipeFrom;
    private final Map<String, Reading> readings = new HashMap<>();

    /**
     * @param scratch  where chunked dumps are laid out or rebuilt; emptied now (a crashed worker's copies)
     * @param pipeFrom files of a piped dump from this size on are pipes
     */
    SharedDumpFiles(Path scratch, long pipeFrom) {
        this.scratch = scratch;
        this.pipeFrom = pipeFrom;
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

    /**
     * The dump's files: piped when {@code pipe} and the dump is kept as chunks, otherwise checked, read now or by a
     * restore of the same dump still running.
     */
    Held hold(DumpReader dump, boolean pipe) throws StepFailure {
        if (pipe && dump.manifest().chunked()) {
            return piped(dump);
        }
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
            throw damaged(dump, mismatches);
        }
        return held;
    }

    private Held piped(DumpReader dump) throws StepFailure {
        PipedDump piped;
        try {
            piped = PipedDump.open(dump, scratch.resolve(UUID.randomUUID().toString()), pipeFrom);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out dump " + dump.manifest().dumpId() + " for pg_restore", e);
        }
        if (piped.damage().isPresent()) {
            piped.close();
            throw damaged(dump, List.of(piped.damage().get()));
        }
        log.info("dump {}: {} of its files piped to pg_restore from the chunks", dump.manifest().dumpId(), piped.pipes());
        return new Held() {
            @Override
            public Path directory() {
                return piped.directory();
            }

            @Override
            public Optional<DumpReader.ChecksumMismatch> damage() {
                return piped.damage();
            }

            @Override
            public void close() {
                piped.close();
            }
        };
    }

    /** CHECKSUM_MISMATCH naming what is damaged. */
    static StepFailure damaged(DumpReader dump, List<DumpReader.ChecksumMismatch> mismatches) {
        return StepFailure.failed(FailureCode.CHECKSUM_MISMATCH
                .failure("dump '" + dump.manifest().dumpId() + "' is damaged: " + mismatches).build());
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
