package io.pgsnapman.service.config.api;

import io.pgsnapman.pgtools.scripts.ScriptNames;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** What a dump job runs around its dumps: per phase SQL or a script name, at most one of the two. */
@Schema(description = "Hooks of a dump job; per phase SQL or the name of a script in the dump-worker's scripts directory")
public record DumpHooksSpec(
        @Schema(description = "SQL run in one transaction in the dumped database (the maintenance database for"
                + " cluster-wide types) before the dump's snapshot is taken; its changes are in the dump")
        @Size(min = 1, max = 65536) String preDumpSql,
        @Schema(description = "Script run before the dump's snapshot is taken (docs/scripts.md)")
        @Pattern(regexp = ScriptNames.PATTERN) String preDumpScript,
        @Schema(description = "SQL run in one transaction in the dumped database after the dump is written and checked,"
                + " before it is stored; a failure stores nothing")
        @Size(min = 1, max = 65536) String postDumpSql,
        @Schema(description = "Script run after the dump is written and checked, before it is stored")
        @Pattern(regexp = ScriptNames.PATTERN) String postDumpScript) {

    public static final DumpHooksSpec NONE = new DumpHooksSpec(null, null, null, null);
}
