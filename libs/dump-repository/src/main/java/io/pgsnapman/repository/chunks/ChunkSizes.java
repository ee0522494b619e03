package io.pgsnapman.repository.chunks;

/**
 * Minimum, average and maximum chunk size in bytes. The average must be a power of two (the cut masks are built
 * from it); {@code 64 <= minimum < average < maximum}.
 */
public record ChunkSizes(int minimum, int average, int maximum) {

    /** 16 KiB / 64 KiB / 256 KiB. */
    public static final ChunkSizes DEFAULT = new ChunkSizes(16 * 1024, 64 * 1024, 256 * 1024);

    public ChunkSizes {
        if (Integer.bitCount(average) != 1) {
            throw new IllegalArgumentException("average chunk size must be a power of two, not " + average);
        }
        if (minimum < 64 || minimum >= average || average >= maximum) {
            throw new IllegalArgumentException("chunk sizes must be 64 <= minimum < average < maximum, not "
                    + minimum + " / " + average + " / " + maximum);
        }
    }
}
