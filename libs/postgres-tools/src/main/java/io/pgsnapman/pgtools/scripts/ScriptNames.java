package io.pgsnapman.pgtools.scripts;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a script's name may be wherever a job or hook gives one: a plain file name (letters, digits, {@code . _ -},
 * not starting with a dot), never a path or a command line. The config API refuses other names up front; the
 * workers check again before resolving one in their scripts directory.
 */
public final class ScriptNames {

    /** The pattern, as a regular expression for validation annotations. */
    public static final String PATTERN = "[A-Za-z0-9_][A-Za-z0-9._-]{0,127}";

    private static final Pattern NAME = Pattern.compile(PATTERN);

    private ScriptNames() {}

    /** Why {@code name} is not a script name, if it is not. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("a script name is required");
        }
        return NAME.matcher(name).matches() ? Optional.empty() : Optional.of("'" + name + "' is not a script name: a"
                + " plain file name of 1 to 128 letters, digits, '.', '_' or '-', not starting with '.' or '-' (never a path)");
    }
}
