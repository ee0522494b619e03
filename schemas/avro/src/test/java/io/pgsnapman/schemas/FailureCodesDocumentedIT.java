package io.pgsnapman.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The operations guide lists every failure code as the catalogue declares it (reads the real docs file). */
class FailureCodesDocumentedIT {

    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z_]+)` \\| (yes|no) \\| (.+) \\|$", Pattern.MULTILINE);

    @Test
    void theOperationsGuideListsEveryFailureCodeWithItsRetriabilityAndMeaningInCatalogueOrder() throws Exception {
        // Given the failure-code section of docs/operations.md
        String guide = Files.readString(Path.of("../../docs/operations.md"));
        String section = guide.substring(guide.indexOf("## Failure codes"));
        section = section.substring(0, section.indexOf("\n## ", 1));

        // When its table rows are read
        Matcher rows = ROW.matcher(section);
        StringBuilder documented = new StringBuilder();
        while (rows.find()) {
            documented.append(rows.group(1)).append(' ').append(rows.group(2)).append(' ').append(rows.group(3)).append('\n');
        }

        // Then they are exactly the catalogue's codes, retriability and meanings, in its order
        List<String> declared = Arrays.stream(FailureCode.values())
                .map(c -> c.name() + " " + (c.retriable() ? "yes" : "no") + " " + c.meaning()).toList();
        assertThat(documented.toString().lines().toList()).containsExactlyElementsOf(declared);
    }
}
