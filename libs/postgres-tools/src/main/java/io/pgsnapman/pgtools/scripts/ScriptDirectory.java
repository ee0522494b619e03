package io.pgsnapman.pgtools.scripts;

import io.pgsnapman.events.Failure;
import io.pgsnapman.schemas.FailureCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A worker's scripts directory (a mounted volume in Kubernetes): the only place a script name is looked up. A name
 * resolves to an executable regular file whose real path lies inside the directory, so neither a path in the name nor
 * a symbolic link can reach anything else. Without a configured directory every name is unknown.
 */
public final class ScriptDirectory {

    private final Path directory;

    private ScriptDirectory(Path directory) {
        this.directory = directory;
    }

    /** The directory at {@code directory}; {@code null} for none configured. */
    public static ScriptDirectory of(Path directory) {
        return new ScriptDirectory(directory);
    }

    /**
     * The first of a job's {@code scripts} (its field, e.g. {@code hooks.preDumpScript}, to the script name; null names
     * are skipped) that does not resolve, as an UNKNOWN_SCRIPT failure naming the field — checked before any work.
     */
    public Optional<Failure> firstUnknown(Map<String, String> scripts) {
        for (Map.Entry<String, String> script : scripts.entrySet()) {
            if (script.getValue() != null) {
                try {
                    resolve(script.getValue());
                } catch (UnknownScriptException e) {
                    return Optional.of(FailureCode.UNKNOWN_SCRIPT.failure(e.getMessage()).setField(script.getKey()).build());
                }
            }
        }
        return Optional.empty();
    }

    /** The executable that {@code name} stands for. */
    public Path resolve(String name) throws UnknownScriptException {
        Optional<String> problem = ScriptNames.problem(name);
        if (problem.isPresent()) {
            throw new UnknownScriptException(problem.get());
        }
        if (directory == null) {
            throw new UnknownScriptException("no script '" + name + "': this worker has no scripts directory configured");
        }
        Path root;
        Path script;
        try {
            root = directory.toRealPath();
            Path candidate = root.resolve(name);
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                throw new UnknownScriptException("no script '" + name + "' in the scripts directory " + directory);
            }
            script = candidate.toRealPath();
        } catch (IOException e) {
            throw new UnknownScriptException("script '" + name + "' cannot be read in " + directory + ": " + e.getMessage());
        }
        if (!script.startsWith(root) || script.equals(root)) {
            throw new UnknownScriptException("script '" + name + "' leads outside the scripts directory " + directory);
        }
        if (!Files.isRegularFile(script)) {
            throw new UnknownScriptException("script '" + name + "' is not a file");
        }
        if (!Files.isExecutable(script)) {
            throw new UnknownScriptException("script '" + name + "' is not executable");
        }
        return script;
    }
}
