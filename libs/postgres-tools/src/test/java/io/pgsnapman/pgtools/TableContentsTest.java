package io.pgsnapman.pgtools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the per-column checksum is written, without a server. */
class TableContentsTest {

    @Test
    void aColumnIsHashedByItsTypesFunctionCollatableOnesInCAndOthersByTheirText() {
        // Given a column with a hash function, a collatable one and one without a function
        List<TableContents.Column> columns = List.of(new TableContents.Column("id", "hashint4extended", false),
                new TableContents.Column("Name", "hashtextextended", true),
                new TableContents.Column("tags", null, true));

        // When the row hash is written
        String rowHash = TableContents.rowHash(columns);

        // Then each column is seeded by its name, its NULL stands for a value of its own, and the three are XORed
        long[] id = TableContents.seeds("id");
        long[] name = TableContents.seeds("Name");
        long[] tags = TableContents.seeds("tags");
        assertThat(rowHash).isEqualTo("coalesce(hashint4extended(t.\"id\", " + id[0] + "), " + id[1] + ")"
                + " # coalesce(hashtextextended(t.\"Name\" COLLATE \"C\", " + name[0] + "), " + name[1] + ")"
                + " # coalesce(pg_catalog.hashtextextended(t.\"tags\"::pg_catalog.text COLLATE \"C\", " + tags[0] + "), "
                + tags[1] + ")");
    }

    @Test
    void aTableWithoutColumnsHashesEveryRowToZero() {
        assertThat(TableContents.rowHash(List.of())).isEqualTo("0::pg_catalog.int8");
    }

    @Test
    void seedsArePinnedNonNegativeAndDifferPerName() {
        // recorded checksums depend on these values: a change here makes every earlier hc64 checksum differ
        assertThat(TableContents.seeds("id")).containsExactly(2693510086166754238L, 4403904789440186471L);
        assertThat(TableContents.seeds("aid")).isNotEqualTo(TableContents.seeds("id"));
        assertThat(TableContents.seeds("Name")[0]).isNotNegative().isNotEqualTo(TableContents.seeds("Name")[1]);
    }

    @Test
    void theBestAlgorithmIsPerColumnFromPostgres11AndMd5Before() {
        assertThat(TableContents.Algorithm.forServer(150004)).isEqualTo(TableContents.Algorithm.HC64);
        assertThat(TableContents.Algorithm.forServer(110000)).isEqualTo(TableContents.Algorithm.HC64);
        assertThat(TableContents.Algorithm.forServer(100023)).isEqualTo(TableContents.Algorithm.MD5);
        assertThat(TableContents.Algorithm.of("hc64:-12")).contains(TableContents.Algorithm.HC64);
        assertThat(TableContents.Algorithm.of("hr64:5")).contains(TableContents.Algorithm.HR64);
        assertThat(TableContents.Algorithm.of("xx64:5")).isEmpty();
    }
}
