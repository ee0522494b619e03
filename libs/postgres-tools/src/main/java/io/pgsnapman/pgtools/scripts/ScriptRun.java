package io.pgsnapman.pgtools.scripts;

import io.pgsnapman.pgtools.PgConnection;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One run of a script: which (by name), in which phase, connected as whom, with which client tools first on its
 * {@code PATH}, the {@code PGSNAPMAN_*} variables of its contract, and where its progress lines go.
 */
public final class ScriptRun {

    final String name;
    final ScriptPhase phase;
    final PgConnection connection;
    final Path toolDirectory;
    final Map<String, String> variables;
    final Consumer<ScriptProgress> progress;

    private ScriptRun(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.phase = Objects.requireNonNull(b.phase, "phase");
        this.connection = Objects.requireNonNull(b.connection, "connection");
        this.toolDirectory = b.toolDirectory;
        this.variables = Map.copyOf(b.variables);
        this.progress = b.progress == null ? p -> { } : b.progress;
    }

    /** A run of script {@code name} in {@code phase}, connected as {@code connection}. */
    public static Builder of(String name, ScriptPhase phase, PgConnection connection) {
        return new Builder(name, phase, connection);
    }

    public String name() {
        return name;
    }

    public ScriptPhase phase() {
        return phase;
    }

    /** Builds a {@link ScriptRun}. */
    public static final class Builder {
        private final String name;
        private final ScriptPhase phase;
        private final PgConnection connection;
        private Path toolDirectory;
        private final Map<String, String> variables = new LinkedHashMap<>();
        private Consumer<ScriptProgress> progress;

        private Builder(String name, ScriptPhase phase, PgConnection connection) {
            this.name = name;
            this.phase = phase;
            this.connection = connection;
        }

        /** The client tools matching the server (psql, pg_dump...), put first on the script's {@code PATH}. */
        public Builder toolDirectory(Path value) {
            toolDirectory = value;
            return this;
        }

        /** A variable of the contract, e.g. {@code PGSNAPMAN_OUTPUT_DIR}; never a secret. */
        public Builder variable(String key, String value) {
            if (!key.startsWith("PGSNAPMAN_")) {
                throw new IllegalArgumentException("a script's own variables are PGSNAPMAN_*, not " + key);
            }
            if (value != null) {
                variables.put(key, value);
            }
            return this;
        }

        public Builder progress(Consumer<ScriptProgress> value) {
            progress = value;
            return this;
        }

        public ScriptRun build() {
            return new ScriptRun(this);
        }
    }
}
