package io.pgsnapman.service.restoreworker.steps;

import io.pgsnapman.pgtools.PgToolset;
import io.pgsnapman.pgtools.ToolResult;
import io.pgsnapman.pgtools.ToolRunner;
import io.pgsnapman.schemas.FailureCode;
import io.pgsnapman.worksteps.StepFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a directory dump's table of contents with {@code pg_restore --list}; an unreadable dump is UNREADABLE_DUMP. */
final class DumpContents {

    private final ToolRunner runner;

    DumpContents(ToolRunner runner) {
        this.runner = runner;
    }

    /**
     * The table of contents of the dump whose files are in {@code files}, as {@code pg_restore --list} with
     * {@code selection} (e.g. {@code --schema=x}) prints it.
     */
    TableOfContents of(PgToolset tools, Path files, String... selection) throws StepFailure {
        List<String> command = new ArrayList<>(List.of(tools.tool("pg_restore").toString(), "--list"));
        command.addAll(List.of(selection));
        command.add(files.toString());
        ToolResult list = runner.run(command, Map.of(), Duration.ofMinutes(10), null);
        if (!list.succeeded()) {
            throw StepFailure.failed(FailureCode.UNREADABLE_DUMP.failure("pg_restore --list cannot read the dump")
                    .setStderrExcerpt(list.stderr()).build());
        }
        return TableOfContents.parse(list.stdout());
    }
}
