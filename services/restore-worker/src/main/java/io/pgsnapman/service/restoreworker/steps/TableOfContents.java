package io.pgsnapman.service.restoreworker.steps;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A dump's table of contents as {@code pg_restore --list} prints it: one entry per line, such as
 * {@code 215; 1259 16413 TABLE ledger entries postgres} (id; catalog table oid, object oid, then type, schema,
 * name and owner); lines starting with {@code ;} are comments. Names are read as the single words pg_restore
 * prints, so a name containing a space is not told apart from its neighbours.
 */
final class TableOfContents {

    /** One entry: its whole line, its id, and what follows the two oids (type, schema, name, owner). */
    record Entry(String line, String id, String description) {}

    private final List<Entry> entries;

    private TableOfContents(List<Entry> entries) {
        this.entries = entries;
    }

    static TableOfContents parse(String listing) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : listing.split("\n")) {
            String line = raw.strip();
            int semicolon = line.indexOf(';');
            if (line.isEmpty() || semicolon <= 0) {
                continue;
            }
            String[] oidsAndRest = line.substring(semicolon + 1).strip().split(" ", 3);
            if (oidsAndRest.length == 3) {
                entries.add(new Entry(line, line.substring(0, semicolon), oidsAndRest[2]));
            }
        }
        return new TableOfContents(entries);
    }

    List<Entry> entries() {
        return entries;
    }

    /** The tables the dump holds data for, as {schema, table}, optionally of one schema only. */
    List<String[]> tableData(String onlySchema) {
        List<String[]> tables = new ArrayList<>();
        for (Entry e : entries) {
            if (e.description().startsWith("TABLE DATA ")) {
                String[] rest = e.description().substring("TABLE DATA ".length()).split(" ");
                if (rest.length >= 2 && (onlySchema == null || onlySchema.equals(rest[0]))) {
                    tables.add(new String[] {rest[0], rest[1]});
                }
            }
        }
        return tables;
    }

    /** The owners of the dump's objects (the last word of each entry). */
    Set<String> owners() {
        Set<String> owners = new LinkedHashSet<>();
        for (Entry e : entries) {
            String[] words = e.description().split(" ");
            String owner = words[words.length - 1];
            if (!owner.equals("-")) {
                owners.add(owner);
            }
        }
        return owners;
    }

    /**
     * A list for {@code pg_restore --use-list} restoring one schema: the entries of {@code selected} (what
     * {@code pg_restore --list --schema} chose) and the schema's own entry, privileges and comment, which
     * {@code --schema} leaves out so that the schema would not exist to restore into. {@code public} exists in
     * every new database, so its own entry is left out. In this table's order, which pg_restore keeps.
     */
    String forSchema(String schema, TableOfContents selected) {
        Set<String> chosen = new LinkedHashSet<>();
        selected.entries.forEach(e -> chosen.add(e.id()));
        StringBuilder list = new StringBuilder();
        for (Entry e : entries) {
            if (chosen.contains(e.id()) || (!schema.equals("public") && isSchemaItself(e, schema))) {
                list.append(e.line()).append('\n');
            }
        }
        return list.toString();
    }

    private static boolean isSchemaItself(Entry e, String schema) {
        String d = e.description();
        return d.startsWith("SCHEMA - " + schema + " ") || d.startsWith("ACL - SCHEMA " + schema + " ")
                || d.startsWith("COMMENT - SCHEMA " + schema + " ");
    }
}
