package io.pgsnapman.schemas.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaParseException;

/**
 * The build's compatibility gate: every schema of the last release (the committed baseline) must be
 * readable by the current schema of the same name (Avro BACKWARD: new reader, old writer), and no
 * released type may disappear. Each problem names the type and the field.
 *
 * <p>Schemas are read from {@code .avsc} files in a directory tree; files may name types defined in
 * other files, in any order.
 */
public final class SchemaCompatibilityGate {

    private SchemaCompatibilityGate() {}

    /** Problems found; empty when the current schemas are BACKWARD compatible with the baseline. */
    public static List<String> check(Path baselineDir, Path currentDir) {
        Map<String, Schema> baseline = parseTree(baselineDir);
        Map<String, Schema> current = parseTree(currentDir);
        List<String> problems = new ArrayList<>();
        baseline.forEach((name, released) -> {
            Schema now = current.get(name);
            if (now == null) {
                problems.add(name + ": released type was removed");
                return;
            }
            problems.addAll(describe(name, "", now, released));
        });
        return problems;
    }

    /** Every type defined at the top of a file in the tree, by full name. */
    public static Map<String, Schema> parseTree(Path dir) {
        List<Path> pending;
        try (Stream<Path> files = Files.walk(dir)) {
            pending = new ArrayList<>(files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list schemas in " + dir, e);
        }
        Map<String, Schema> parsed = new LinkedHashMap<>();
        while (!pending.isEmpty()) {
            List<Path> deferred = new ArrayList<>();
            Map<Path, String> errors = new TreeMap<>();
            for (Path file : pending) {
                try {
                    Schema.Parser parser = new Schema.Parser();
                    parser.addTypes(parsed.values());
                    Schema schema = parser.parse(file.toFile());
                    parsed.put(schema.getFullName(), schema);
                } catch (SchemaParseException | AvroTypeException e) {
                    // most likely a type defined in a file not parsed yet: try again in the next round
                    deferred.add(file);
                    errors.put(file, e.getMessage());
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read " + file, e);
                }
            }
            if (deferred.size() == pending.size()) {
                throw new IllegalStateException("Cannot parse schemas in " + dir + ": " + errors);
            }
            pending = deferred;
        }
        return parsed;
    }

    private static List<String> describe(String typeName, String prefix, Schema reader, Schema writer) {
        List<String> problems = new ArrayList<>();
        for (Incompatibility incompatibility :
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult().getIncompatibilities()) {
            String field = join(prefix, fieldPath(reader, incompatibility.getLocation()));
            if (incompatibility.getType() == SchemaCompatibility.SchemaIncompatibilityType.MISSING_UNION_BRANCH) {
                // a record inside a union changed: say which of its fields, not just that the branch is unreadable
                List<String> nested = describeUnionBranches(
                        typeName, field, incompatibility.getReaderFragment(), incompatibility.getWriterFragment());
                if (!nested.isEmpty()) {
                    problems.addAll(nested);
                    continue;
                }
            }
            if (incompatibility.getType() == SchemaCompatibility.SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE
                    && !field.endsWith(incompatibility.getMessage())) {
                field = join(field, incompatibility.getMessage());
            }
            problems.add(typeName + ": field '" + (field.isEmpty() ? "(the type itself)" : field) + "' "
                    + incompatibility.getType() + ": " + incompatibility.getMessage());
        }
        return problems;
    }

    /** Problems inside named types that the writer has and the reader union has under the same name. */
    private static List<String> describeUnionBranches(String typeName, String field, Schema reader, Schema writer) {
        List<Schema> readerBranches = reader.getType() == Schema.Type.UNION ? reader.getTypes() : List.of(reader);
        List<Schema> writerBranches = writer.getType() == Schema.Type.UNION ? writer.getTypes() : List.of(writer);
        List<String> problems = new ArrayList<>();
        for (Schema writerBranch : writerBranches) {
            for (Schema readerBranch : readerBranches) {
                if (isNamed(writerBranch) && isNamed(readerBranch)
                        && readerBranch.getFullName().equals(writerBranch.getFullName())) {
                    problems.addAll(describe(typeName, field, readerBranch, writerBranch));
                }
            }
        }
        return problems;
    }

    private static boolean isNamed(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> true;
            default -> false;
        };
    }

    private static String join(String prefix, String path) {
        if (prefix.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? prefix : prefix + "." + path;
    }

    /** Turns a JSON-pointer location such as {@code /fields/3/type/1/fields/0} into {@code failure.reason}. */
    static String fieldPath(Schema root, String location) {
        List<String> names = new ArrayList<>();
        Schema schema = root;
        String[] tokens = location.split("/");
        for (int i = 1; i < tokens.length && schema != null; i++) {
            String token = tokens[i];
            switch (token) {
                case "fields" -> {
                    if (i + 1 < tokens.length && schema.getType() == Schema.Type.RECORD) {
                        Schema.Field field = schema.getFields().get(Integer.parseInt(tokens[++i]));
                        names.add(field.name());
                        schema = field.schema();
                    }
                }
                case "type", "name", "size", "symbols" -> {
                    // the field's type itself: nothing to add
                }
                case "items" -> schema = schema.getType() == Schema.Type.ARRAY ? schema.getElementType() : null;
                case "values" -> schema = schema.getType() == Schema.Type.MAP ? schema.getValueType() : null;
                default -> {
                    if (schema.getType() == Schema.Type.UNION && token.chars().allMatch(Character::isDigit)) {
                        schema = schema.getTypes().get(Integer.parseInt(token));
                    }
                }
            }
        }
        return String.join(".", names);
    }
}
