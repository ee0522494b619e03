package io.pgsnapman.repository.chunks;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a stream into content-defined chunks with a FastCDC-style gear hash: a cut falls where the hash of the
 * last bytes matches a mask, so inserting or deleting bytes moves only the cuts near the change and the chunks
 * after it stay the same. Cuts are normalised: a stricter mask before the average size and a looser one after
 * it keep sizes close to the average. Every chunk is at least {@code min} bytes (except a stream's last) and at
 * most {@code max}. Memory is one buffer of {@code max} bytes, whatever the stream's length.
 *
 * <p>The gear table is derived from a fixed seed with a generator written out here: changing it, or the masks,
 * moves every cut and ends dedup with what is stored, so both are part of the repository format.
 */
public final class Chunker {

    private static final long[] GEAR = gear();

    private final ChunkSizes sizes;
    private final long strictMask;
    private final long looseMask;

    public Chunker(ChunkSizes sizes) {
        this.sizes = sizes;
        int bits = Integer.numberOfTrailingZeros(Integer.highestOneBit(sizes.average()));
        this.strictMask = topBits(bits + 2);
        this.looseMask = topBits(bits - 2);
    }

    public ChunkSizes sizes() {
        return sizes;
    }

    /** Receives each chunk in order; {@code data[0, length)} is only valid during the call. */
    @FunctionalInterface
    public interface Sink {
        void chunk(byte[] data, int length) throws IOException;
    }

    /** Reads {@code in} to its end and hands every chunk to {@code sink}, in order. */
    public void split(InputStream in, Sink sink) throws IOException {
        byte[] buffer = new byte[sizes.maximum()];
        int filled = 0;
        boolean eof = false;
        while (true) {
            while (!eof && filled < buffer.length) {
                int read = in.read(buffer, filled, buffer.length - filled);
                if (read < 0) {
                    eof = true;
                } else {
                    filled += read;
                }
            }
            if (filled == 0) {
                return;
            }
            int cut = cut(buffer, filled);
            sink.chunk(buffer, cut);
            System.arraycopy(buffer, cut, buffer, 0, filled - cut);
            filled -= cut;
        }
    }

    /** Where the chunk starting at {@code data[0]} ends, given {@code length} bytes available (all, if fewer than max). */
    int cut(byte[] data, int length) {
        int end = Math.min(length, sizes.maximum());
        if (end <= sizes.minimum()) {
            return end;
        }
        int normal = Math.min(end, sizes.average());
        long hash = 0;
        int i = sizes.minimum();
        for (; i < normal; i++) {
            hash = (hash << 1) + GEAR[data[i] & 0xff];
            if ((hash & strictMask) == 0) {
                return i + 1;
            }
        }
        for (; i < end; i++) {
            hash = (hash << 1) + GEAR[data[i] & 0xff];
            if ((hash & looseMask) == 0) {
                return i + 1;
            }
        }
        return end;
    }

    /** The highest {@code bits} bits: they depend on the most recent 64 bytes, the lowest on the last byte only. */
    private static long topBits(int bits) {
        return bits <= 0 ? 0 : -1L << (64 - bits);
    }

    /** 256 pseudo-random words from SplitMix64, written out here so that no library's generator can change them. */
    private static long[] gear() {
        long state = 0x5ca1ab1e_c0ffeeL;
        long[] table = new long[256];
        for (int i = 0; i < table.length; i++) {
            state += 0x9e3779b97f4a7c15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            table[i] = z ^ (z >>> 31);
        }
        return table;
    }
}
