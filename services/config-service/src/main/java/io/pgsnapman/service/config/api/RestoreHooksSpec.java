package io.pgsnapman.service.config.api;

import io.pgsnapman.pgtools.scripts.ScriptNames;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What a restore job runs around its restores, per phase SQL or a script name (at most one of the two); kept with the
 * job, never taken from a restore request.
 */
@Schema(description = "Hooks of a restore job; per phase SQL or the name of a script in the restore-worker's scripts"
        + " directory. Hooks work on the temporary database, so not with existingDatabase TRUNCATE or DROP_BEFORE.")
public record RestoreHooksSpec(
        @Schema(description = "SQL run in one transaction inside the temporary database after the load and before it takes"
                + " the target's place (anonymise, drop secrets, reset sequences), as the worker's database user: the target"
                + " never shows what it changes. A failure fails the restore with the server's message and leaves the target"
                + " as it was.")
        @Size(min = 1, max = 65536) String postRestoreSql,
        @Schema(description = "Script run against the temporary database after the load and before it takes the target's"
                + " place (docs/scripts.md); a non-zero exit fails the restore with its stderr, the target as it was")
        @Pattern(regexp = ScriptNames.PATTERN) String postRestoreScript,
        @Schema(description = "SQL run in one transaction inside the new temporary database before the load (extensions,"
                + " schemas or settings the load needs)")
        @Size(min = 1, max = 65536) String preRestoreSql,
        @Schema(description = "Script run against the new temporary database before the load")
        @Pattern(regexp = ScriptNames.PATTERN) String preRestoreScript) {

    public static final RestoreHooksSpec NONE = new RestoreHooksSpec(null, null, null, null);
}
