package io.pgsnapman.repository.chunks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * The chunks of one file of a dump, in order, as a file beside the manifest: a magic line, then per chunk its
 * 32-byte SHA-256 and its 4-byte length. 36 bytes a chunk keeps the manifest small however large the dump (a
 * 100 GB table at 64 KiB chunks lists 1.6 million chunks: 57 MB here, read as a stream).
 */
public final class ChunkIndex {

    private static final byte[] MAGIC = "PGSNAPMAN-CHUNKS-1\n".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();

    private ChunkIndex() {}

    /** One chunk of a file: its id and its length. */
    public record Ref(String id, int length) {}

    /** Writes the refs given to the returned writer, in order; closing it completes the file. */
    public static Writer write(Path file) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        out.write(MAGIC);
        return new Writer(new DataOutputStream(out));
    }

    /** Reads every ref of the file, in order. */
    public static void read(Path file, Consumer<Ref> each) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            read(in, each, file.toString(), false);
        }
    }

    /** Reads the refs of an index that may still be being written: whole entries only, a cut-off end ignored. */
    public static void readWhileWritten(Path file, Consumer<Ref> each) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            read(in, each, file.toString(), true);
        }
    }

    private static void read(InputStream in, Consumer<Ref> each, String name, boolean partial) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        try {
            data.readFully(magic);
        } catch (EOFException e) {
            if (partial) {
                return;
            }
            throw new IOException(name + " is not a chunk index: too short");
        }
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException(name + " is not a chunk index this version reads");
        }
        byte[] id = new byte[32];
        while (true) {
            int first = data.read();
            if (first < 0) {
                return;
            }
            id[0] = (byte) first;
            try {
                data.readFully(id, 1, 31);
                each.accept(new Ref(HEX.formatHex(id), data.readInt()));
            } catch (EOFException e) {
                if (partial) {
                    return;
                }
                throw new IOException(name + " ends inside a chunk entry");
            }
        }
    }

    /** Appends refs to an index file. */
    public static final class Writer implements AutoCloseable {
        private final DataOutputStream out;

        private Writer(DataOutputStream out) {
            this.out = out;
        }

        public void add(String id, int length) throws IOException {
            out.write(HEX.parseHex(id));
            out.writeInt(length);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
