package io.pgsnapman.service.restoreworker.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.events.restore.TableRowCheck;
import io.pgsnapman.pgtools.TableContents;
import io.pgsnapman.repository.Manifest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CompareContentsTest {

    private static final Manifest.TableRows ITEMS = new Manifest.TableRows("public", "items", 1000, true, "h64:123");
    private static final Manifest.TableRows LOG = new Manifest.TableRows("audit", "log", 10, true, "h64:-5");
    private static final Manifest.TableRows OLD = new Manifest.TableRows("public", "old", 7, true);

    @Test
    void tablesWithTheirRowsAndChecksumsDoNotDiffer() {
        // Given every table read back as the dump recorded it (one from before checksums: count only)
        List<TableRowCheck> checks = List.of(
                CompareContents.check(ITEMS, Optional.of(new TableContents.Summary(1000, "h64:123"))),
                CompareContents.check(LOG, Optional.of(new TableContents.Summary(10, "h64:-5"))),
                CompareContents.check(OLD, Optional.of(new TableContents.Summary(7, null))));

        // Then nothing differs, and the checks carry both checksums where they were compared
        assertThat(CompareContents.differences(checks)).isEmpty();
        assertThat(checks.get(0).getExpectedChecksum()).isEqualTo("h64:123");
        assertThat(checks.get(0).getActualChecksum()).isEqualTo("h64:123");
        assertThat(checks.get(2).getActualChecksum()).isNull();
    }

    @Test
    void anotherChecksumAnotherCountOrAMissingTableDifferAndAreNamedWithHow() {
        // Given one table with the same count but other content, one short, one missing
        List<TableRowCheck> checks = List.of(
                CompareContents.check(ITEMS, Optional.of(new TableContents.Summary(1000, "h64:124"))),
                CompareContents.check(LOG, Optional.of(new TableContents.Summary(9, "h64:-5"))),
                CompareContents.check(OLD, Optional.empty()));

        // When the differences are described
        List<TableRowCheck> differing = CompareContents.differences(checks);

        // Then all three are named, each with what differs
        assertThat(differing).extracting(TableRowCheck::getTableName).containsExactly("items", "log", "old");
        assertThat(CompareContents.describe(differing)).isEqualTo("3 tables differ from the dump: "
                + "public.items (same 1000 rows, other content), audit.log (9 rows, dump had 10), public.old (missing)");
    }

    @Test
    void checksumsAreComparedOnlyWithinOneMajorRelease() {
        assertThat(CompareContents.sameMajor("15.8 (Debian 15.8-1)", "15.14")).isTrue();
        assertThat(CompareContents.sameMajor("11.22", "15.14")).isFalse();
        assertThat(CompareContents.sameMajor(null, "15.14")).isFalse();
    }
}
