package io.pgsnapman.repository;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dump's files for a reader that opens each data file once and reads it from start to end (pg_restore): the
 * table of contents and small files are written out, each large file is a named pipe fed straight from the
 * repository when the reader opens it, each chunk's hash checked before it goes in and the file's SHA-256 at its
 * end. Nothing as large as the dump is written to disk and the reader starts at once.
 *
 * <p>A damaged chunk in a piped file is found only while the reader reads it, so the reader may already have
 * used part of the file: call {@link #damage()} after the reader ended and before its result counts — a caller
 * loading a database throws that database away. {@link #damage()} right after {@link #open} covers the files
 * written out. Files the reader never opened are released by {@link #close}. Linux and other POSIX systems only
 * ({@code mkfifo}); one thread per piped file, waiting until its file is opened.
 */
public final class PipedDump implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PipedDump.class);
    /** Files from this size on are piped unless the caller says otherwise: smaller ones cost little to write out. */
    public static final long DEFAULT_PIPE_FROM = 1 << 20;
    /** At most this many files are piped (the largest); the rest are written out. */
    static final int MAX_PIPES = 512;
    private static final long WRITER_STACK = 256 * 1024;
    private static final int MKFIFO_BATCH = 200;

    private final Path directory;
    private final List<Pipe> pipes = new ArrayList<>();
    private final AtomicReference<DumpReader.ChecksumMismatch> damage = new AtomicReference<>();
    private volatile boolean closing;

    private PipedDump(Path directory) {
        this.directory = directory;
    }

    /**
     * Lays the dump's files out under {@code into} (an empty directory this object then owns and deletes on
     * close): files of at least {@code pipeFrom} bytes as pipes, except table-of-contents files; the others
     * written out and checked now.
     */
    public static PipedDump open(DumpReader dump, Path into, long pipeFrom) throws IOException {
        PipedDump piped = new PipedDump(into);
        try {
            piped.layOut(dump, pipeFrom);
        } catch (IOException | RuntimeException e) {
            piped.close();
            throw e;
        }
        return piped;
    }

    private void layOut(DumpReader dump, long pipeFrom) throws IOException {
        Files.createDirectories(directory);
        List<Manifest.FileEntry> piped = dump.manifest().files().stream()
                .filter(entry -> entry.size() >= pipeFrom && !tableOfContents(entry.path()))
                .sorted(Comparator.comparingLong(Manifest.FileEntry::size).reversed())
                .limit(MAX_PIPES).toList();
        List<Path> fifos = new ArrayList<>();
        for (Manifest.FileEntry entry : dump.manifest().files()) {
            Path file = inside(entry.path());
            Files.createDirectories(file.getParent());
            if (piped.contains(entry)) {
                fifos.add(file);
                pipes.add(new Pipe(entry.path(), file));
            } else if (damage.get() == null) {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                    dump.copyFile(entry.path(), out).ifPresent(m -> damage.compareAndSet(null, m));
                }
            }
        }
        if (damage.get() != null) {
            pipes.clear();
            return;
        }
        for (int from = 0; from < fifos.size(); from += MKFIFO_BATCH) {
            mkfifo(fifos.subList(from, Math.min(fifos.size(), from + MKFIFO_BATCH)));
        }
        for (Pipe pipe : pipes) {
            pipe.start(dump);
        }
    }

    private Path inside(String path) throws IOException {
        Path file = directory.resolve(path).normalize();
        if (!file.startsWith(directory) || file.equals(directory)) {
            throw new IOException("the dump lists a file outside itself: " + path);
        }
        return file;
    }

    private static boolean tableOfContents(String path) {
        String name = Path.of(path).getFileName().toString();
        return name.equals("toc.dat") || name.endsWith(".toc");
    }

    private static void mkfifo(List<Path> fifos) throws IOException {
        List<String> command = new ArrayList<>(List.of("mkfifo", "-m", "600", "--"));
        fifos.forEach(f -> command.add(f.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.waitFor() != 0) {
                throw new IOException("mkfifo failed: " + output);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating pipes", e);
        }
    }

    /** Where the reader finds the files. */
    public Path directory() {
        return directory;
    }

    /** How many files are pipes. */
    public int pipes() {
        return pipes.size();
    }

    /** The first file found not to match the manifest so far; empty while every byte handed out was checked. */
    public Optional<DumpReader.ChecksumMismatch> damage() {
        return Optional.ofNullable(damage.get());
    }

    /**
     * Releases the pipes nobody opened, waits for the feeding threads and deletes the directory. Call it after the
     * reader ended; idempotent.
     */
    @Override
    public void close() {
        closing = true;
        List<RandomAccessFile> releases = new ArrayList<>();
        for (Pipe pipe : pipes) {
            pipe.release().ifPresent(releases::add);
        }
        for (Pipe pipe : pipes) {
            pipe.join();
        }
        for (RandomAccessFile release : releases) {
            try {
                release.close();
            } catch (IOException e) {
                log.debug("closing a released pipe: {}", e.getMessage());
            }
        }
        try {
            DirectoryTrees.delete(directory);
        } catch (UncheckedIOException e) {
            log.warn("{}", e.getMessage());
        }
    }

    /** One piped file and the thread that feeds it. */
    private final class Pipe {
        final String path;
        final Path fifo;
        Thread writer;
        volatile boolean opened;

        Pipe(String path, Path fifo) {
            this.path = path;
            this.fifo = fifo;
        }

        void start(DumpReader dump) {
            writer = new Thread(null, () -> feed(dump), "pipe " + path, WRITER_STACK);
            writer.setDaemon(true);
            writer.start();
        }

        private void feed(DumpReader dump) {
            Watched out = null;
            try (FileOutputStream fifoOut = new FileOutputStream(fifo.toFile())) {
                opened = true;
                if (closing) {
                    return;
                }
                out = new Watched(new BufferedOutputStream(fifoOut, 1 << 16));
                Optional<DumpReader.ChecksumMismatch> mismatch = dump.copyFile(path, out);
                if (mismatch.isPresent() && out.failure == null) {
                    damage.compareAndSet(null, mismatch.get());
                    log.warn("piped file {} is damaged: {}", path, mismatch.get());
                }
                if (mismatch.isEmpty()) {
                    out.flush();
                }
            } catch (IOException e) {
                if (!closing && (out == null || out.failure == null)) {
                    damage.compareAndSet(null, new DumpReader.ChecksumMismatch(path, "readable", e.getMessage()));
                }
                log.debug("piping {} ended: {}", path, e.getMessage());
            }
        }

        /**
         * A writer not yet through its open is let through: a read-write open never blocks on a pipe and, held until
         * the writer ended, is the reader its open waits for, whenever it gets there.
         */
        Optional<RandomAccessFile> release() {
            if (writer == null || opened || !writer.isAlive()) {
                return Optional.empty();
            }
            try {
                log.debug("{} was not read", path);
                return Optional.of(new RandomAccessFile(fifo.toFile(), "rw"));
            } catch (IOException e) {
                log.warn("cannot release the pipe {}: {}", fifo, e.getMessage());
                return Optional.empty();
            }
        }

        void join() {
            if (writer == null) {
                return;
            }
            try {
                writer.join(TimeUnit.SECONDS.toMillis(30));
                if (writer.isAlive()) {
                    log.warn("the thread feeding {} did not end", path);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Remembers a failure to write, so the reader going away is not taken for damage. */
    private static final class Watched extends FilterOutputStream {
        volatile IOException failure;

        Watched(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }
}
