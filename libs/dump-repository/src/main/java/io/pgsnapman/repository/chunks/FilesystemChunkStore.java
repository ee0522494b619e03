package io.pgsnapman.repository.chunks;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@link ChunkStore} on a directory: one file per chunk under two levels of fan-out,
 * {@code <root>/<id[0..2]>/<id[2..4]>/<id>} (65,536 directories: a few hundred files each at tens of millions of
 * chunks). A file is one format byte — {@code 1} zstd, {@code 0} stored as is when compression would not
 * shrink it — the content's length, then the content. A new chunk is written under a temporary name and renamed into place, so a
 * reader never sees half a chunk; a used one has its modification time set to now (see ADR 7 for how that
 * keeps garbage collection from removing it while a dump is written).
 */
public final class FilesystemChunkStore implements ChunkStore {

    private static final byte RAW = 0;
    private static final byte ZSTD = 1;
    private static final int HEADER = 5;
    /** Larger than any chunk a {@link Chunker} cuts; a header saying more is damage, not a chunk. */
    private static final int MAX_CONTENT = 64 * 1024 * 1024;

    private final Path root;
    private final Path temporary;
    private final int level;
    private final Clock clock;
    private final Queue<Path> unflushed = new ConcurrentLinkedQueue<>();

    /**
     * @param level zstd level (1 fast ... 19 small; 3 is zstd's default)
     */
    public FilesystemChunkStore(Path root, int level, Clock clock) throws IOException {
        this.root = root;
        this.temporary = root.resolve(".tmp");
        this.level = level;
        this.clock = clock;
        Files.createDirectories(temporary);
    }

    Path pathOf(String id) {
        if (id.length() != 64 || !id.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("not a chunk id: " + id);
        }
        return root.resolve(id.substring(0, 2)).resolve(id.substring(2, 4)).resolve(id);
    }

    @Override
    public Stored put(byte[] data, int length) throws IOException {
        String id = Sha256.of(data, length);
        Path target = pathOf(id);
        if (touch(target)) {
            return new Stored(id, length, 0);
        }
        byte[] stored = encode(data, length);
        Path written = temporary.resolve(UUID.randomUUID().toString());
        Files.write(written, stored);
        Files.createDirectories(target.getParent());
        try {
            Files.move(written, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(written); // another writer stored it meanwhile
            return new Stored(id, length, 0);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(written);
            throw new IOException("the chunk store's file system cannot rename atomically: " + e.getMessage(), e);
        }
        unflushed.add(target);
        return new Stored(id, length, stored.length);
    }

    /** Marks a stored chunk as used now; false if there is none. */
    private boolean touch(Path chunk) throws IOException {
        try {
            Files.setLastModifiedTime(chunk, FileTime.from(Instant.ofEpochMilli(clock.millis())));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Format byte, content length (4 bytes, big-endian), then the content, zstd-compressed if that is smaller. */
    private byte[] encode(byte[] data, int length) {
        byte[] out = new byte[HEADER + (int) Zstd.compressBound(length)];
        long compressed = Zstd.compressByteArray(out, HEADER, out.length - HEADER, data, 0, length, level);
        boolean worth = !Zstd.isError(compressed) && compressed < length;
        out[0] = worth ? ZSTD : RAW;
        ByteBuffer.wrap(out, 1, 4).putInt(length);
        if (!worth) {
            System.arraycopy(data, 0, out, HEADER, length);
        }
        return Arrays.copyOf(out, HEADER + (worth ? (int) compressed : length));
    }

    @Override
    public byte[] get(String id) throws ChunkException {
        byte[] stored;
        try {
            stored = Files.readAllBytes(pathOf(id));
        } catch (NoSuchFileException e) {
            throw ChunkException.missing(id);
        } catch (IOException e) {
            throw ChunkException.damaged(id, "cannot be read: " + e.getMessage());
        }
        byte[] content = decode(id, stored);
        String actual = Sha256.of(content, content.length);
        if (!actual.equals(id)) {
            throw ChunkException.damaged(id, "its content hashes to " + actual);
        }
        return content;
    }

    private static byte[] decode(String id, byte[] stored) throws ChunkException {
        if (stored.length < HEADER) {
            throw ChunkException.damaged(id, "shorter than its header");
        }
        int length = ByteBuffer.wrap(stored, 1, 4).getInt();
        if (length < 0 || length > MAX_CONTENT) {
            throw ChunkException.damaged(id, "its header says " + length + " bytes");
        }
        byte[] content = new byte[length];
        if (stored[0] == RAW && stored.length - HEADER == length) {
            System.arraycopy(stored, HEADER, content, 0, length);
            return content;
        }
        if (stored[0] != ZSTD) {
            throw ChunkException.damaged(id, "unknown format " + stored[0] + " or wrong length");
        }
        long read;
        try {
            read = Zstd.decompressByteArray(content, 0, length, stored, HEADER, stored.length - HEADER);
        } catch (ZstdException e) {
            throw ChunkException.damaged(id, "zstd cannot read it: " + e.getMessage());
        }
        if (Zstd.isError(read) || read != length) {
            throw ChunkException.damaged(id, "zstd cannot read it" + (Zstd.isError(read) ? ": " + Zstd.getErrorName(read) : ""));
        }
        return content;
    }

    @Override
    public boolean contains(String id) {
        return Files.isRegularFile(pathOf(id));
    }

    @Override
    public void forEach(Consumer<Entry> each) throws IOException {
        try (Stream<Path> files = Files.walk(root, 3)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.length() == 64 && !file.startsWith(temporary)) {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    if (attributes.isRegularFile()) {
                        each.accept(new Entry(name, attributes.size(), attributes.lastModifiedTime().toInstant()));
                    }
                }
            }
        }
    }

    @Override
    public boolean removeIfUnusedSince(String id, Instant unusedSince) throws IOException {
        Path chunk = pathOf(id);
        Path aside = temporary.resolve("gc-" + id);
        try {
            Files.move(chunk, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return false;
        }
        // A writer that used the chunk before it was moved aside set its time: it goes back. One that comes
        // after finds no chunk and stores it again.
        if (Files.getLastModifiedTime(aside).toInstant().isAfter(unusedSince)) {
            try {
                Files.move(aside, chunk, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.delete(aside);
            }
            return false;
        }
        Files.delete(aside);
        return true;
    }

    /**
     * Removes what crashed writes left in the temporary area (a chunk written but never renamed into place, one
     * that garbage collection moved aside and never finished with) once it is older than {@code cutoff}.
     */
    public int removeAbandonedWrites(Instant cutoff) throws IOException {
        int removed = 0;
        try (Stream<Path> leftovers = Files.list(temporary)) {
            for (Path leftover : leftovers.toList()) {
                try {
                    if (Files.getLastModifiedTime(leftover).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(leftover);
                        removed++;
                    }
                } catch (NoSuchFileException gone) {
                    // renamed into place or removed meanwhile
                }
            }
        }
        return removed;
    }

    @Override
    public void flush() throws IOException {
        List<Path> pending = Stream.generate(unflushed::poll).takeWhile(p -> p != null).toList();
        IOException failed = null;
        for (Path chunk : pending) {
            try (FileChannel channel = FileChannel.open(chunk, StandardOpenOption.WRITE)) {
                channel.force(true);
            } catch (NoSuchFileException e) {
                // removed meanwhile by garbage collection: its writer stores it again when it uses it
            } catch (IOException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

}
