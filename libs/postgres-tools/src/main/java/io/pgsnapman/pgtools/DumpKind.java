package io.pgsnapman.pgtools;

import io.pgsnapman.events.Failure;
import io.pgsnapman.events.dump.DumpSpec;
import io.pgsnapman.events.dump.DumpType;
import io.pgsnapman.schemas.DumpFormat;
import io.pgsnapman.schemas.FailureCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Everything that differs between dump types, in one place: whether a dump covers one database or the
 * cluster, its format, the tool and command line that writes it, how to check it can be read back, whether
 * it can be restored into a database, and whether it can give a restore its roles. Configuration validation,
 * both workers and the restore validator ask the kind; {@code docs/adding-a-dump-type.md} says how to add one.
 */
public enum DumpKind {

    /** One database (or one schema of it), data and schema: {@code pg_dump -Fd}. */
    FULL(DumpType.FULL, true, DumpFormat.DIRECTORY, null),
    /** One database's schema without data: {@code pg_dump -Fd --schema-only}. */
    SCHEMA_ONLY(DumpType.SCHEMA_ONLY, true, DumpFormat.DIRECTORY, null),
    /** Roles, tablespaces and every database's schema: {@code pg_dumpall --schema-only}. */
    CLUSTER_SCHEMA_ONLY(DumpType.CLUSTER_SCHEMA_ONLY, false, DumpFormat.SQL, "cluster.sql"),
    /** Roles and tablespaces: {@code pg_dumpall --globals-only}. */
    GLOBALS(DumpType.GLOBALS, false, DumpFormat.SQL, "globals.sql"),
    /** Whatever a script from the dump-worker's scripts directory writes (one database in its environment). */
    SCRIPT(DumpType.SCRIPT, true, DumpFormat.FILES, null);

    /** The line pg_dumpall writes last; a script without it was cut short. */
    static final String CLUSTER_DUMP_COMPLETE = "PostgreSQL database cluster dump complete";

    private final DumpType type;
    private final boolean perDatabase;
    private final DumpFormat format;
    private final String scriptFile;

    DumpKind(DumpType type, boolean perDatabase, DumpFormat format, String scriptFile) {
        this.type = type;
        this.perDatabase = perDatabase;
        this.format = format;
        this.scriptFile = scriptFile;
    }

    /** The kind of a dump type of the event contracts. */
    public static DumpKind of(DumpType type) {
        return valueOf(type.name());
    }

    public DumpType type() {
        return type;
    }

    /** Whether it dumps one database (which the job must name) rather than the whole cluster. */
    public boolean perDatabase() {
        return perDatabase;
    }

    public DumpFormat format() {
        return format;
    }

    /** Whether pg_dump may run in parallel ({@code --jobs}); pg_dumpall is serial. */
    public boolean parallel() {
        return format == DumpFormat.DIRECTORY;
    }

    /** Whether its tables' rows are worth counting in the dump's snapshot (it holds data). */
    public boolean holdsData() {
        return this == FULL;
    }

    /** Whether a script writes it (the job's {@code scriptName}) rather than pg_dump or pg_dumpall. */
    public boolean scripted() {
        return format == DumpFormat.FILES;
    }

    /** Whether it can be restored into a database by pg_restore. */
    public boolean restorableIntoDatabase() {
        return format == DumpFormat.DIRECTORY;
    }

    /** Whether a restore can take the roles it needs from it ({@code rolesFromDumpId}). */
    public boolean rolesSource() {
        return format == DumpFormat.SQL;
    }

    /** The script inside the dump's directory, for the SQL kinds. */
    public Optional<String> scriptFile() {
        return Optional.ofNullable(scriptFile);
    }

    /**
     * The tool and its arguments that write this kind of dump of {@code spec} into {@code target} (the dump's
     * staging directory), in {@code snapshot} when one was exported. Names are passed as exact, quoted patterns.
     *
     * @param tool where a client tool is, by name (e.g. {@link PgToolset#tool})
     */
    public List<String> command(Function<String, Path> tool, DumpSpec spec, Path target, String snapshot) {
        if (scripted()) {
            throw new IllegalStateException("a " + type + " dump is written by its script, not by a client tool");
        }
        List<String> command = new ArrayList<>();
        if (format == DumpFormat.DIRECTORY) {
            command.add(tool.apply("pg_dump").toString());
            command.add("--format=directory");
            command.add("--file=" + target);
            command.add("--jobs=" + spec.getParallelJobs());
            command.add("--no-password");
            if (snapshot != null) {
                command.add("--snapshot=" + snapshot);
            }
            if (this == SCHEMA_ONLY) {
                command.add("--schema-only");
            }
            if (spec.getCompressionLevel() != null) {
                command.add("--compress=" + spec.getCompressionLevel());
            }
            if (spec.getSchemaName() != null) {
                command.add("--schema=" + exactPattern(spec.getSchemaName()));
            }
            spec.getExcludeSchemas().forEach(s -> command.add("--exclude-schema=" + exactPattern(s)));
            spec.getExcludeTableData().forEach(t -> command.add("--exclude-table-data=" + exactQualifiedPattern(t)));
        } else {
            command.add(tool.apply("pg_dumpall").toString());
            command.add(this == GLOBALS ? "--globals-only" : "--schema-only");
            command.add("--no-password");
            command.add("--file=" + target.resolve(scriptFile));
        }
        return command;
    }

    /**
     * Why the dump written into {@code target} cannot be read back, if it cannot: pg_restore lists a directory
     * dump's table of contents; a script must end with pg_dumpall's completion line; a script's output must hold files.
     */
    public Optional<Failure> unreadable(PgToolset tools, ToolRunner runner, Path target) {
        if (scripted()) {
            return holdsFiles(target) ? Optional.empty()
                    : Optional.of(FailureCode.UNREADABLE_DUMP.failure("the script wrote no files").build());
        }
        if (format == DumpFormat.DIRECTORY) {
            ToolResult list = runner.run(List.of(tools.tool("pg_restore").toString(), "--list", target.toString()),
                    Map.of(), Duration.ofMinutes(30), null);
            return list.succeeded() ? Optional.empty() : Optional.of(FailureCode.UNREADABLE_DUMP
                    .failure("pg_restore --list cannot read the dump").setExitCode(list.exitCode())
                    .setStderrExcerpt(list.stderr() == null || list.stderr().isBlank() ? null : list.stderr().strip())
                    .build());
        }
        Path script = target.resolve(scriptFile);
        try {
            return tail(script, 512).contains(CLUSTER_DUMP_COMPLETE) ? Optional.empty() : Optional.of(FailureCode
                    .UNREADABLE_DUMP.failure("pg_dumpall output does not end with its completion marker").build());
        } catch (IOException e) {
            return Optional.of(FailureCode.UNREADABLE_DUMP.failure("cannot read " + scriptFile + ": " + e.getMessage())
                    .build());
        }
    }

    private static boolean holdsFiles(Path target) {
        try (Stream<Path> files = Files.walk(target)) {
            return files.anyMatch(Files::isRegularFile);
        } catch (IOException e) {
            return false;
        }
    }

    /** A name as a pg_dump pattern that matches exactly that name (quoted, so case and dots are literal). */
    static String exactPattern(String name) {
        return SqlIdentifiers.quote(name);
    }

    /** {@code schema.table} as an exact pg_dump pattern. */
    static String exactQualifiedPattern(String qualified) {
        int dot = qualified.indexOf('.');
        return dot < 0 ? exactPattern(qualified)
                : exactPattern(qualified.substring(0, dot)) + "." + exactPattern(qualified.substring(dot + 1));
    }

    private static String tail(Path file, int bytes) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long from = Math.max(0, channel.size() - bytes);
            ByteBuffer buffer = ByteBuffer.allocate((int) (channel.size() - from));
            channel.position(from);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // read the tail
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        }
    }
}
