package io.pgsnapman.service.dumpworker.steps;

import io.pgsnapman.repository.Manifest;
import io.pgsnapman.worksteps.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Step 8, for a tick with dedup: keeps every file the tool wrote as content-defined chunks in the repository's
 * chunk store (compressed, each stored once across all dumps), as many files at once as the dump's parallel
 * jobs, each file leaving the staging directory as soon as it is chunked. The tool wrote uncompressed
 * ({@code --compress=0}): compression is the repository's, and only uncompressed data deduplicates.
 */
final class StoreChunks implements Step<DumpContext> {

    @Override
    public String name() {
        return "store chunks";
    }

    @Override
    public void run(DumpContext dump) throws IOException, InterruptedException {
        if (!dump.tick.getDedup()) {
            return;
        }
        Path directory = dump.writer.directory();
        List<String> files = filesOf(directory);
        int threads = Math.max(1, Math.min(files.size(), dump.spec.getParallelJobs()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "dump-chunking");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Manifest.FileEntry>> stored = new ArrayList<>();
            for (String file : files) {
                stored.add(pool.submit(() -> dump.writer.storeAsChunks(file)));
            }
            for (Future<Manifest.FileEntry> each : stored) {
                each.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("chunking dump " + dump.dumpId() + " failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The tool's files, relative to the staging directory, largest first (they take longest). */
    static List<String> filesOf(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile)
                    .sorted((a, b) -> Long.compare(size(b), size(a)))
                    .map(f -> directory.relativize(f).toString())
                    .toList();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
