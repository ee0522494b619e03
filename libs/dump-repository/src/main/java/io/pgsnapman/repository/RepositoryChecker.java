package io.pgsnapman.repository;

import io.pgsnapman.repository.chunks.ChunkException;
import io.pgsnapman.repository.chunks.ChunkIndex;
import io.pgsnapman.repository.chunks.ChunkStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the whole repository: for every complete dump, that each chunk its files name is there and — for a share
 * of them chosen by id, so that repeated checks with the same share read the same chunks — still hashes to its id;
 * plain files are checked for presence and size, the same share of them re-hashed. A chunk shared by many dumps is
 * checked once and reported for each dump it affects.
 */
final class RepositoryChecker {

    private final ChunkStore store;

    RepositoryChecker(ChunkStore store) {
        this.store = store;
    }

    RepositoryCheck check(List<DumpReader> dumps, int readDataPercent) throws IOException {
        if (readDataPercent < 0 || readDataPercent > 100) {
            throw new IllegalArgumentException("readDataPercent must be 0 to 100, not " + readDataPercent);
        }
        Map<String, Optional<String>> checked = new HashMap<>();
        long[] read = new long[1];
        List<RepositoryCheck.Problem> problems = new ArrayList<>();
        for (DumpReader dump : dumps) {
            String dumpId = dump.manifest().dumpId();
            for (Manifest.FileEntry file : dump.manifest().files()) {
                if (file.chunked()) {
                    Path index = dump.directory().resolve(file.chunks());
                    if (!Files.isRegularFile(index)) {
                        problems.add(new RepositoryCheck.Problem(dumpId, file.path(), null, "chunk index missing"));
                        continue;
                    }
                    ChunkIndex.read(index, ref -> checked.computeIfAbsent(ref.id(), id -> problem(id, readDataPercent, read))
                            .ifPresent(what -> problems.add(new RepositoryCheck.Problem(dumpId, file.path(), ref.id(), what))));
                } else {
                    plainProblem(dump, file, readDataPercent)
                            .ifPresent(what -> problems.add(new RepositoryCheck.Problem(dumpId, file.path(), null, what)));
                }
            }
        }
        return new RepositoryCheck(dumps.size(), checked.size(), read[0], readDataPercent, problems);
    }

    private Optional<String> problem(String id, int readDataPercent, long[] read) {
        if (!selected(id, readDataPercent)) {
            return store.contains(id) ? Optional.empty() : Optional.of("missing");
        }
        read[0]++;
        try {
            store.get(id);
            return Optional.empty();
        } catch (ChunkException e) {
            return Optional.of(e.missing() ? "missing" : e.getMessage());
        }
    }

    private static Optional<String> plainProblem(DumpReader dump, Manifest.FileEntry file, int readDataPercent) {
        Path path = dump.directory().resolve(file.path());
        try {
            if (!Files.isRegularFile(path)) {
                return Optional.of("missing");
            }
            if (Files.size(path) != file.size()) {
                return Optional.of("size " + Files.size(path) + ", the manifest says " + file.size());
            }
            if (selected(file.sha256(), readDataPercent)) {
                String actual = Checksums.sha256(path, OutputStream.nullOutputStream());
                if (!actual.equals(file.sha256())) {
                    return Optional.of("sha256 " + actual + ", the manifest says " + file.sha256());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("unreadable: " + e.getMessage());
        }
    }

    /** Whether a hash falls in the share read back: its first two hex digits, as a number, below the share of 256. */
    static boolean selected(String hex, int percent) {
        return percent >= 100 || Integer.parseInt(hex.substring(0, 2), 16) < percent * 256 / 100;
    }
}
