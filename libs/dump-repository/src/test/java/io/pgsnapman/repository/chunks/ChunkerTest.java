package io.pgsnapman.repository.chunks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    private static final ChunkSizes SMALL = new ChunkSizes(64, 256, 1024);

    private static byte[] random(long seed, int length) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static List<byte[]> split(Chunker chunker, byte[] data) throws IOException {
        List<byte[]> chunks = new ArrayList<>();
        chunker.split(new ByteArrayInputStream(data), (bytes, length) -> chunks.add(java.util.Arrays.copyOf(bytes, length)));
        return chunks;
    }

    private static List<String> ids(List<byte[]> chunks) {
        return chunks.stream().map(c -> Sha256.of(c, c.length)).toList();
    }

    @Test
    void everyChunkButTheLastIsBetweenMinimumAndMaximumAndTogetherTheyAreTheInput() throws IOException {
        // Given 5 MiB of random bytes and the default sizes
        byte[] data = random(1, 5 * 1024 * 1024);

        // When they are split
        List<byte[]> chunks = split(new Chunker(ChunkSizes.DEFAULT), data);

        // Then sizes respect the bounds, average near the target, and nothing is lost or reordered
        for (byte[] chunk : chunks.subList(0, chunks.size() - 1)) {
            assertThat(chunk.length).isBetween(ChunkSizes.DEFAULT.minimum(), ChunkSizes.DEFAULT.maximum());
        }
        double average = (double) data.length / chunks.size();
        assertThat(average).isBetween(32.0 * 1024, 128.0 * 1024);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        chunks.forEach(joined::writeBytes);
        assertThat(joined.toByteArray()).isEqualTo(data);
    }

    @Test
    void bytesInsertedNearTheStartChangeOnlyTheChunksAroundThem() throws IOException {
        // Given 4 MiB of data, and the same with 100 bytes inserted 1,000 bytes in
        byte[] original = random(2, 4 * 1024 * 1024);
        byte[] edited = new byte[original.length + 100];
        System.arraycopy(original, 0, edited, 0, 1000);
        System.arraycopy(random(3, 100), 0, edited, 1000, 100);
        System.arraycopy(original, 1000, edited, 1100, original.length - 1000);
        Chunker chunker = new Chunker(ChunkSizes.DEFAULT);

        // When both are split
        List<String> before = ids(split(chunker, original));
        List<String> after = ids(split(chunker, edited));

        // Then all but the first couple of chunks are the same chunks
        Set<String> shared = new HashSet<>(before);
        shared.retainAll(new HashSet<>(after));
        assertThat(before.size()).isGreaterThan(20);
        assertThat(shared.size()).isGreaterThanOrEqualTo(before.size() - 2);
        assertThat(after.subList(after.size() - shared.size(), after.size()))
                .isEqualTo(before.subList(before.size() - shared.size(), before.size()));
    }

    @Test
    void theSameBytesAlwaysGiveTheSameCuts() throws IOException {
        // The gear table and masks are part of the repository format: cuts moving would end dedup with stored dumps
        byte[] data = random(4, 1024 * 1024);

        List<Integer> sizes = split(new Chunker(ChunkSizes.DEFAULT), data).stream().map(c -> c.length).toList();

        assertThat(sizes).isEqualTo(split(new Chunker(ChunkSizes.DEFAULT), data).stream().map(c -> c.length).toList());
        assertThat(sizes.subList(0, 3)).containsExactly(FIRST_CUTS);
    }

    /** The first chunk sizes of {@code random(4, 1 MiB)} with the default sizes, as the format fixes them. */
    private static final Integer[] FIRST_CUTS = {73543, 22358, 73569};

    @Test
    void anEmptyStreamHasNoChunksAndAShortOneIsOneChunk() throws IOException {
        assertThat(split(new Chunker(SMALL), new byte[0])).isEmpty();
        assertThat(split(new Chunker(SMALL), random(5, 10))).hasSize(1).first().satisfies(c -> assertThat(c).hasSize(10));
    }

    @Test
    void chunkSizesMustBeOrderedAndTheAverageAPowerOfTwo() {
        assertThatThrownBy(() -> new ChunkSizes(64, 300, 1024)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new ChunkSizes(512, 256, 1024)).hasMessageContaining("minimum < average < maximum");
        assertThatThrownBy(() -> new ChunkSizes(32, 256, 1024)).hasMessageContaining("64 <= minimum");
    }

    @Property(tries = 200)
    void anyInputSplitsIntoBoundedChunksThatJoinToIt(@ForAll @Size(max = 20_000) byte[] data) throws IOException {
        List<byte[]> chunks = split(new Chunker(SMALL), data);

        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        chunks.forEach(joined::writeBytes);
        assertThat(joined.toByteArray()).isEqualTo(data);
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(chunks.get(i).length).isLessThanOrEqualTo(SMALL.maximum()).isPositive();
            if (i < chunks.size() - 1) {
                assertThat(chunks.get(i).length).isGreaterThanOrEqualTo(SMALL.minimum());
            }
        }
    }

    @Property(tries = 100)
    void aStreamReadInDribsGivesTheSameChunksAsOneReadInWhole(@ForAll @Size(min = 1, max = 20_000) byte[] data)
            throws IOException {
        // Given a stream that hands out at most 7 bytes a read
        ByteArrayInputStream whole = new ByteArrayInputStream(data);
        java.io.InputStream dribbling = new java.io.FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 7));
            }
        };
        List<String> fromWhole = new ArrayList<>();
        List<String> fromDribs = new ArrayList<>();

        // When both are split
        new Chunker(SMALL).split(whole, (b, n) -> fromWhole.add(Sha256.of(b, n)));
        new Chunker(SMALL).split(dribbling, (b, n) -> fromDribs.add(Sha256.of(b, n)));

        // Then the cuts are the same
        assertThat(fromDribs).isEqualTo(fromWhole);
    }
}
