package io.pgsnapman.repository;

import io.pgsnapman.repository.chunks.ChunkException;
import io.pgsnapman.repository.chunks.ChunkSizes;
import io.pgsnapman.repository.chunks.ChunkedFiles;
import io.pgsnapman.repository.chunks.Chunker;
import io.pgsnapman.repository.chunks.FilesystemChunkStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link DumpRepository} on a directory (a Kubernetes persistent volume shared by the workers). Layout:
 * {@code <root>/dumps/<dump id>/} holds a complete dump — its files and {@code manifest.json};
 * {@code <root>/.staging/<random>/} holds dumps being written. A commit writes the manifest last inside
 * the staging directory and then renames the directory into place in one atomic step, so a reader never
 * sees a half-written dump, and a crash leaves only a staging directory that
 * {@link #removeAbandonedWrites} cleans up.
 */
public final class FilesystemDumpRepository implements DumpRepository {

    private static final Logger log = LoggerFactory.getLogger(FilesystemDumpRepository.class);

    private final Path dumps;
    private final Path staging;
    private final Path leases;
    private final Path records;
    private static final String OWNER_SUFFIX = ".owner";
    /** Where a chunked dump keeps its chunk indexes, beside the manifest. */
    static final String CHUNK_INDEXES = ".chunks";
    private final JsonMapper json = manifestJson();
    private final FilesystemChunkStore chunkStore;
    private final ChunkedFiles chunks;

    /** A repository with the default chunk sizes and zstd level 3. */
    public FilesystemDumpRepository(Path root) {
        this(root, ChunkSizes.DEFAULT, 3);
    }

    /**
     * @param chunkSizes how dumps written with dedup are cut into chunks
     * @param zstdLevel  how hard their chunks are compressed
     */
    public FilesystemDumpRepository(Path root, ChunkSizes chunkSizes, int zstdLevel) {
        this.dumps = root.resolve("dumps");
        this.staging = root.resolve(".staging");
        this.leases = root.resolve(".leases");
        this.records = root.resolve(".records");
        try {
            Files.createDirectories(dumps);
            Files.createDirectories(staging);
            Files.createDirectories(leases);
            Files.createDirectories(records);
            this.chunkStore = new FilesystemChunkStore(root.resolve("chunks"), zstdLevel, Clock.systemUTC());
            this.chunks = new ChunkedFiles(new Chunker(chunkSizes), chunkStore);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the dump repository under " + root, e);
        }
    }

    @Override
    public DumpWriter begin(String dumpId) {
        DumpIds.requireValid(dumpId);
        if (Files.exists(manifestOf(dumpId))) {
            throw new DumpAlreadyExistsException(dumpId);
        }
        try {
            String name = UUID.randomUUID().toString();
            Path owner = Files.writeString(staging.resolve(name + OWNER_SUFFIX), dumpId);
            return new Writer(dumpId, Files.createDirectory(staging.resolve(name)), owner);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start dump " + dumpId, e);
        }
    }

    @Override
    public Optional<DumpReader> open(String dumpId) {
        DumpIds.requireValid(dumpId);
        Path manifest = manifestOf(dumpId);
        if (!Files.isRegularFile(manifest)) {
            return Optional.empty();
        }
        return Optional.of(new Reader(manifest.getParent(), readManifest(manifest)));
    }

    @Override
    public List<Manifest> list() {
        return readers().stream().map(DumpReader::manifest).toList();
    }

    /** A reader of every complete dump, each manifest read once. */
    private List<DumpReader> readers() {
        List<DumpReader> readers = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dumps, 16)) {
            files.filter(p -> p.getFileName().toString().equals(Manifest.FILE_NAME))
                    .forEach(p -> readers.add(new Reader(p.getParent(), readManifest(p))));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list dumps under " + dumps, e);
        }
        return readers;
    }

    @Override
    public boolean delete(String dumpId) {
        DumpIds.requireValid(dumpId);
        Path dir = dumps.resolve(dumpId);
        if (!Files.exists(dir)) {
            return false;
        }
        // Move aside first so the dump disappears at once, then delete at leisure.
        Path trash = staging.resolve("deleted-" + UUID.randomUUID());
        try {
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete dump " + dumpId, e);
        }
        DirectoryTrees.delete(trash);
        removeEmptyParents(dir.getParent());
        return true;
    }

    /** A record is a file written beside its final name, then moved over it atomically. */
    @Override
    public void storeRecord(String name, byte[] content) {
        Path file = recordFile(name);
        try {
            Files.createDirectories(file.getParent());
            Path partial = staging.resolve("record-" + UUID.randomUUID());
            Files.write(partial, content);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store record " + name, e);
        }
    }

    @Override
    public Optional<byte[]> loadRecord(String name) {
        try {
            return Optional.of(Files.readAllBytes(recordFile(name)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read record " + name, e);
        }
    }

    private Path recordFile(String name) {
        DumpIds.requireValid(name);
        return records.resolve(name);
    }

    /**
     * A lease is a file created exclusively; its modification time is its last renewal. Taking over a stale
     * lease renames it away first, so of two workers seeing it stale only one proceeds. (Two workers that
     * both see it stale within one rename of each other is the remaining, tiny, window.)
     */
    @Override
    public Optional<Lease> tryLease(String name, String owner, Duration staleAfter) {
        DumpIds.requireValid(name);
        Path file = leaseFile(name);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                String content = owner + " " + UUID.randomUUID() + "\n";
                Files.writeString(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return Optional.of(new FileLease(name, file, content));
            } catch (FileAlreadyExistsException held) {
                try {
                    Instant renewed = Files.getLastModifiedTime(file).toInstant();
                    if (renewed.isAfter(Instant.now().minus(staleAfter))) {
                        return Optional.empty();
                    }
                    log.warn("taking over abandoned lease {} (last renewed {})", name, renewed);
                    Files.move(file, staging.resolve("stale-lease-" + UUID.randomUUID()), StandardCopyOption.ATOMIC_MOVE);
                } catch (NoSuchFileException gone) {
                    // released or taken over meanwhile: try again
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot inspect lease " + name, e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot take lease " + name, e);
            }
        }
        return Optional.empty();
    }

    /** A lease file; its content identifies this holder, so a holder whose lease was taken over notices. */
    private record FileLease(String name, Path file, String content) implements Lease {
        @Override
        public void renew() {
            if (!stillMine()) {
                throw new IllegalStateException("lease " + name + " was taken over by another holder");
            }
            try {
                Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot renew lease " + name, e);
            }
        }

        @Override
        public void close() {
            if (stillMine()) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot release lease " + name, e);
                }
            }
        }

        private boolean stillMine() {
            try {
                return Files.readString(file).equals(content);
            } catch (IOException e) {
                return false;
            }
        }
    }

    @Override
    public boolean leaseHeld(String name, Duration staleAfter) {
        DumpIds.requireValid(name);
        try {
            Instant renewed = Files.getLastModifiedTime(leaseFile(name)).toInstant();
            return renewed.isAfter(Instant.now().minus(staleAfter));
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot inspect lease " + name, e);
        }
    }

    /**
     * A staging directory {@code <random>} has a sibling {@code <random>.owner} naming its dump id from
     * {@link #begin} until commit or abort; such a directory goes as soon as its dump is no longer being written.
     * Everything else in staging (moved-aside deletions, taken-over leases, partial records) goes by age.
     */
    @Override
    public int removeAbandonedWrites(Duration olderThan, Predicate<String> beingWritten) {
        Instant cutoff = Instant.now().minus(olderThan);
        int removed = 0;
        try (Stream<Path> entries = Files.list(staging)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                Path owner = staging.resolve(name + OWNER_SUFFIX);
                try {
                    if (name.endsWith(OWNER_SUFFIX)) {
                        Path dir = staging.resolve(name.substring(0, name.length() - OWNER_SUFFIX.length()));
                        if (!Files.exists(dir) && Files.getLastModifiedTime(entry).toInstant().isBefore(Instant.now().minusSeconds(60))) {
                            Files.deleteIfExists(entry); // its write ended between listing and now, or long ago
                        }
                        continue;
                    }
                    if (Files.exists(owner)) {
                        String dumpId = Files.readString(owner).strip();
                        if (beingWritten.test(dumpId)) {
                            continue;
                        }
                        log.info("removing the abandoned write of dump {} ({})", dumpId, name);
                        DirectoryTrees.delete(entry);
                        Files.deleteIfExists(owner);
                        removed++;
                    } else if (Files.getLastModifiedTime(entry).toInstant().isBefore(cutoff)) {
                        log.info("removing leftover {} from the staging area", name);
                        DirectoryTrees.delete(entry);
                        removed++;
                    }
                } catch (NoSuchFileException gone) {
                    // committed or removed meanwhile
                }
            }
            removed += chunkStore.removeAbandonedWrites(cutoff);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clean " + staging, e);
        }
        return removed;
    }

    @Override
    public RepositoryCheck check(int readDataPercent) {
        try {
            return new RepositoryChecker(chunkStore).check(readers(), readDataPercent);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot check the repository", e);
        }
    }

    @Override
    public GarbageReport collectGarbage(Duration grace, boolean dryRun) {
        try {
            return new ChunkGarbageCollector(dumps, staging, chunkStore, Clock.systemUTC()).collect(grace, dryRun);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot collect the chunk store's garbage", e);
        }
    }

    private Path leaseFile(String name) {
        return leases.resolve(name.replace('/', '~') + ".lease");
    }

    private Path manifestOf(String dumpId) {
        return dumps.resolve(dumpId).resolve(Manifest.FILE_NAME);
    }

    /**
     * How manifests are written and read: indented; enum names in any case, because version 1 wrote the format
     * as {@code directory} / {@code sql}; fields a version-1 manifest lacks read as false or empty.
     */
    static JsonMapper manifestJson() {
        return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();
    }

    private Manifest readManifest(Path file) {
        try {
            return json.readValue(file.toFile(), Manifest.class);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Unreadable manifest " + file + ": " + e.getMessage(), e);
        }
    }

    /** Size and SHA-256 of every file, hashed in parallel (a directory dump has a file per table). */
    private static List<Manifest.FileEntry> describeFiles(Path dir) {
        return listFiles(dir).parallelStream().map(relative -> {
            Path file = dir.resolve(relative);
            try {
                return new Manifest.FileEntry(relative, Files.size(file), Checksums.sha256(file));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }).toList();
    }

    /** Paths of the dump's files relative to its directory, manifest excluded, sorted. */
    private static List<String> listFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> dir.relativize(file).toString())
                    .filter(relative -> !relative.equals(Manifest.FILE_NAME) && !relative.startsWith(CHUNK_INDEXES + "/"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the files of " + dir, e);
        }
    }

    private void removeEmptyParents(Path dir) {
        for (Path current = dir; current != null && current.startsWith(dumps) && !current.equals(dumps);
                current = current.getParent()) {
            try {
                Files.deleteIfExists(current);
            } catch (DirectoryNotEmptyException e) {
                return;
            } catch (IOException e) {
                return;
            }
        }
    }

    private final class Writer implements DumpWriter {
        private final String dumpId;
        private final Path directory;
        private final Path owner;
        private final Map<String, Manifest.FileEntry> chunked = new ConcurrentHashMap<>();
        private boolean committed;

        Writer(String dumpId, Path directory, Path owner) {
            this.dumpId = dumpId;
            this.directory = directory;
            this.owner = owner;
        }

        @Override
        public String dumpId() {
            return dumpId;
        }

        @Override
        public Path directory() {
            return directory;
        }

        @Override
        public List<String> files() {
            return listFiles(directory);
        }

        @Override
        public Manifest.FileEntry storeAsChunks(String path) throws IOException {
            Path file = directory.resolve(path).normalize();
            if (!file.startsWith(directory) || !Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no file " + path + " in the dump being written");
            }
            String indexPath = CHUNK_INDEXES + "/" + path + ".chunks";
            Path index = directory.resolve(indexPath);
            Files.createDirectories(index.getParent());
            ChunkedFiles.Stored stored = chunks.store(file, index);
            try (FileChannel channel = FileChannel.open(index, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.delete(file);
            Manifest.FileEntry entry = new Manifest.FileEntry(path, stored.size(), stored.sha256(), indexPath,
                    stored.chunks(), stored.storedBytes());
            chunked.put(path, entry);
            return entry;
        }

        @Override
        public Manifest commit(Manifest manifest) {
            if (!dumpId.equals(manifest.dumpId())) {
                throw new IllegalArgumentException("manifest is for " + manifest.dumpId() + ", not " + dumpId);
            }
            List<Manifest.FileEntry> files = new ArrayList<>(describeFiles(directory));
            files.addAll(chunked.values());
            files.sort(Comparator.comparing(Manifest.FileEntry::path));
            if (!chunked.isEmpty()) {
                try {
                    chunks.store().flush(); // the chunks are durable before the manifest that names them
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot make the chunks of dump " + dumpId + " durable", e);
                }
            }
            Manifest complete = manifest.withFiles(files);
            Path target = dumps.resolve(dumpId);
            try {
                Path temporary = directory.resolve(Manifest.FILE_NAME + ".tmp");
                Files.write(temporary, json.writeValueAsBytes(complete));
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                Files.move(temporary, directory.resolve(Manifest.FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
                Files.createDirectories(target.getParent());
                Files.move(directory, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                throw new DumpAlreadyExistsException(dumpId);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IllegalStateException("The repository's file system cannot rename atomically: " + e.getMessage(), e);
            } catch (IOException e) {
                if (Files.exists(target.resolve(Manifest.FILE_NAME))) {
                    throw new DumpAlreadyExistsException(dumpId);
                }
                throw new UncheckedIOException("Cannot commit dump " + dumpId, e);
            }
            committed = true;
            return complete;
        }

        @Override
        public void close() {
            if (!committed) {
                DirectoryTrees.delete(directory);
            }
            try {
                Files.deleteIfExists(owner);
            } catch (IOException e) {
                log.warn("could not remove {}: {}", owner, e.getMessage());
            }
        }
    }

    private final class Reader implements DumpReader {
        private final Path directory;
        private final Manifest manifest;

        Reader(Path directory, Manifest manifest) {
            this.directory = directory;
            this.manifest = manifest;
        }

        @Override
        public Manifest manifest() {
            return manifest;
        }

        @Override
        public Path directory() {
            return directory;
        }

        @Override
        public String manifestSha256() {
            return Checksums.sha256(directory.resolve(Manifest.FILE_NAME));
        }

        @Override
        public List<ChecksumMismatch> verify() {
            Set<String> listed = new HashSet<>();
            manifest.files().forEach(entry -> listed.add(entry.path()));
            List<ChecksumMismatch> mismatches = new ArrayList<>(manifest.files().parallelStream()
                    .map(entry -> check(entry, OutputStream.nullOutputStream()))
                    .filter(Objects::nonNull).toList());
            for (String present : listFiles(directory)) {
                if (!listed.contains(present) && !manifest.chunked()) {
                    mismatches.add(new ChecksumMismatch(present, "absent", "unexpected file"));
                }
            }
            return mismatches;
        }

        @Override
        public List<ChecksumMismatch> materialize(Path into) {
            for (Manifest.FileEntry entry : manifest.files()) {
                Path file = into.resolve(entry.path()).normalize();
                if (!file.startsWith(into)) {
                    return List.of(new ChecksumMismatch(entry.path(), "a path inside the dump", "outside"));
                }
                ChecksumMismatch mismatch;
                try {
                    Files.createDirectories(file.getParent());
                    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                        mismatch = check(entry, out);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot write " + file, e);
                }
                if (mismatch != null) {
                    return List.of(mismatch);
                }
            }
            return List.of();
        }

        @Override
        public Optional<ChecksumMismatch> copyFile(String path, OutputStream out) throws IOException {
            Manifest.FileEntry entry = manifest.files().stream().filter(f -> f.path().equals(path)).findFirst()
                    .orElseThrow(() -> new NoSuchFileException(path, null, "not a file of dump " + manifest.dumpId()));
            return Optional.ofNullable(check(entry, out));
        }

        /** Writes the file to {@code out} (chunks rebuilt, each checked) and compares its SHA-256; null when it matches. */
        private ChecksumMismatch check(Manifest.FileEntry entry, OutputStream out) {
            String actual;
            try {
                if (entry.chunked()) {
                    Path index = directory.resolve(entry.chunks()).normalize();
                    if (!index.startsWith(directory) || !Files.isRegularFile(index)) {
                        return new ChecksumMismatch(entry.path(), "chunk index " + entry.chunks(), "missing");
                    }
                    actual = chunks.rebuild(index, out);
                } else {
                    Path file = directory.resolve(entry.path()).normalize();
                    if (!file.startsWith(directory) || !Files.isRegularFile(file)) {
                        return new ChecksumMismatch(entry.path(), "present", "missing");
                    }
                    actual = Checksums.sha256(file, out);
                }
            } catch (ChunkException e) {
                return new ChecksumMismatch(entry.path(), "chunk " + e.chunkId(), e.missing() ? "missing" : e.getMessage());
            } catch (IOException e) {
                return new ChecksumMismatch(entry.path(), "readable", e.getMessage());
            }
            return actual.equals(entry.sha256()) ? null
                    : new ChecksumMismatch(entry.path(), "sha256 " + entry.sha256(), "sha256 " + actual);
        }
    }
}
