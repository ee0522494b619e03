package io.pgsnapman.service.dumpworker.steps;

import io.pgsnapman.repository.DumpWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a dump's files as chunks on a small pool, from while the tool still writes: once {@link #watch watching},
 * every poll interval it looks which files no process has open any more ({@link OpenFiles}, {@link FinishedFiles})
 * and chunks each, so a file leaves the staging directory soon after pg_dump closed it and chunking overlaps the
 * dump. The table of contents, written at the end, waits for the tool's exit, as does whatever is still open then:
 * {@link #finish()} stops looking, chunks every file left (largest first) and waits for all. {@link #close()}
 * abandons the work (a failed or cancelled dump, whose staging is then discarded).
 */
final class ChunkWhileWriting implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChunkWhileWriting.class);
    static final Duration POLL = Duration.ofMillis(500);

    private final DumpWriter writer;
    private final FinishedFiles finished = new FinishedFiles(Set.of("toc.dat"));
    private final ScheduledExecutorService poller;
    private final ExecutorService chunkers;
    private final List<Future<?>> handedOut = new ArrayList<>();

    /** How many files were chunked while the tool ran, and how many after it. */
    record Counts(int whileWriting, int after) {}

    private ChunkWhileWriting(DumpWriter writer, int threads) {
        this.writer = writer;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dump-chunking-poll"));
        this.chunkers = Executors.newFixedThreadPool(threads, r -> daemon(r, "dump-chunking"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Chunking of the writer's files on {@code threads} threads; nothing is chunked before {@link #finish()}. */
    static ChunkWhileWriting of(DumpWriter writer, int threads) {
        return new ChunkWhileWriting(writer, Math.max(1, threads));
    }

    /** Looks at the writer's directory every {@link #POLL} and chunks the files the tool is done with. */
    ChunkWhileWriting watch(OpenFiles openFiles) {
        poller.scheduleWithFixedDelay(() -> lookQuietly(openFiles), POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void lookQuietly(OpenFiles openFiles) {
        try {
            look(openFiles);
        } catch (RuntimeException e) {
            log.debug("dump {}: looking for finished files: {}", writer.dumpId(), e.getMessage());
        }
    }

    /** One look: hands out the files found finished. */
    void look(OpenFiles openFiles) {
        Path directory = writer.directory();
        Map<String, Long> sizes = new HashMap<>();
        try {
            for (String file : writer.files()) {
                sizes.put(file, Files.size(directory.resolve(file)));
            }
        } catch (NoSuchFileException | UncheckedIOException e) {
            return; // a file went (chunked) while listing; the next look sees the directory as it is
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        finished.look(sizes, openFiles.under(directory)).forEach(this::handOut);
    }

    private void handOut(String file) {
        synchronized (handedOut) {
            handedOut.add(chunkers.submit(() -> {
                writer.storeAsChunks(file);
                return null;
            }));
        }
    }

    /**
     * Stops looking, chunks every file not chunked yet and waits until all are.
     *
     * @throws IOException chunking a file failed
     */
    Counts finish() throws IOException, InterruptedException {
        poller.shutdownNow();
        poller.awaitTermination(1, TimeUnit.MINUTES);
        int early;
        synchronized (handedOut) {
            early = handedOut.size();
        }
        waitForAll();
        Path directory = writer.directory();
        List<String> rest = writer.files().stream()
                .sorted(Comparator.comparingLong((String f) -> size(directory.resolve(f))).reversed()).toList();
        rest.forEach(this::handOut);
        waitForAll();
        chunkers.shutdown();
        return new Counts(early, rest.size());
    }

    private void waitForAll() throws IOException, InterruptedException {
        List<Future<?>> all;
        synchronized (handedOut) {
            all = List.copyOf(handedOut);
        }
        try {
            for (Future<?> each : all) {
                each.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("chunking dump " + writer.dumpId() + " failed: " + e.getCause(), e.getCause());
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops looking and chunking; waits for the chunking threads to stop. Idempotent. */
    @Override
    public void close() {
        poller.shutdownNow();
        chunkers.shutdownNow();
        try {
            if (!chunkers.awaitTermination(1, TimeUnit.MINUTES)) {
                log.warn("dump {}: chunking threads did not stop", writer.dumpId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
