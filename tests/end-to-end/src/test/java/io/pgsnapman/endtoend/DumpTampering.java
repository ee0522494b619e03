package io.pgsnapman.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnapman.repository.Checksums;
import io.pgsnapman.repository.Manifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Changes a dump in the repository after it was taken, the way a bug in a tool or someone with write access to the
 * repository could: one table's data altered and the manifest's SHA-256 of the file recomputed, so every file still
 * matches its checksum and only a test restore can tell. For dumps kept as plain, uncompressed files ({@code dedup:
 * false}, {@code compressionLevel: 0}).
 */
final class DumpTampering {

    private DumpTampering() {}

    /**
     * Replaces the first {@code from} in the data of {@code schema.table} by {@code to} (same length, so the file's
     * size and the table's rows stay) and writes the file's new SHA-256 into the manifest.
     */
    static void changeTableData(Path repository, String dumpId, Path pgBinDir, String schema, String table, String from,
            String to) throws Exception {
        assertThat(to).hasSameSizeAs(from);
        Path dir = repository.resolve("dumps").resolve(dumpId);
        Path dataFile = dir.resolve(dataEntry(dir, pgBinDir, schema, table) + ".dat");
        String text = Files.readString(dataFile, StandardCharsets.UTF_8);
        assertThat(text).as("data of %s.%s", schema, table).contains(from);
        Files.writeString(dataFile, text.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to)),
                StandardCharsets.UTF_8);
        Path manifestFile = dir.resolve(Manifest.FILE_NAME);
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode manifest = (ObjectNode) json.readTree(manifestFile.toFile());
        for (JsonNode file : manifest.get("files")) {
            if (file.get("path").asString().equals(dataFile.getFileName().toString())) {
                ((ObjectNode) file).put("sha256", Checksums.sha256(dataFile));
            }
        }
        json.writeValue(manifestFile.toFile(), manifest);
    }

    /** The table of contents id of the table's TABLE DATA entry, which names its file in a directory dump. */
    private static String dataEntry(Path dir, Path pgBinDir, String schema, String table) throws Exception {
        Process list = new ProcessBuilder(pgBinDir.resolve("pg_restore").toString(), "--list", dir.toString())
                .redirectErrorStream(true).start();
        String toc = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(list.waitFor()).as(toc).isZero();
        Matcher entry = Pattern.compile("(?m)^(\\d+); \\d+ \\d+ TABLE DATA " + Pattern.quote(schema) + " "
                + Pattern.quote(table) + " ").matcher(toc);
        assertThat(entry.find()).as(toc).isTrue();
        return entry.group(1);
    }
}
