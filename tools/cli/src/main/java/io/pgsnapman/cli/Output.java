package io.pgsnapman.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Prints API answers as aligned columns for people, or as the JSON itself with {@code --output json}. */
final class Output {

    enum Format { TABLE, JSON }

    private final PrintWriter out;
    private final Format format;

    Output(PrintWriter out, Format format) {
        this.out = out;
        this.format = format;
    }

    boolean json() {
        return format == Format.JSON;
    }

    PrintWriter writer() {
        return out;
    }

    /** A list: the JSON array (or page) as is, or one row per item with the given fields. */
    void list(JsonNode items, List<String> columns) {
        if (json()) {
            out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(items));
            out.flush();
            return;
        }
        JsonNode rows = items.has("items") ? items.get("items") : items;
        List<List<String>> table = new ArrayList<>();
        table.add(columns.stream().map(c -> c.toUpperCase().replace('.', ' ')).toList());
        for (JsonNode row : rows) {
            table.add(columns.stream().map(c -> text(row, c)).toList());
        }
        table(table);
        if (items.has("total")) {
            out.printf("(%d of %d)%n", rows.size(), items.get("total").asLong());
        }
        out.flush();
    }

    /** Rows of text as aligned columns, the first row being the header. */
    void table(List<List<String>> table) {
        int[] widths = new int[table.get(0).size()];
        for (List<String> row : table) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : table) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    /** One item: the JSON, or {@code field: value} lines. */
    void item(JsonNode item) {
        if (json()) {
            out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(item));
        } else {
            item.properties().forEach(e -> out.printf("%-22s %s%n", e.getKey() + ":",
                    e.getValue().isValueNode() ? e.getValue().asString() : e.getValue().toString()));
        }
        out.flush();
    }

    void line(String text) {
        if (!json()) {
            out.println(text);
            out.flush();
        }
    }

    /** A field by dotted path, empty when absent. */
    static String text(JsonNode node, String path) {
        JsonNode current = node;
        for (String part : path.split("\\.")) {
            current = current == null ? null : current.get(part);
        }
        if (current == null || current.isNull() || current.isMissingNode()) {
            return "";
        }
        return current.isValueNode() ? current.asString() : current.toString();
    }
}
