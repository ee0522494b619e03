package io.pgsnapman.service.config.api;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

/** What a restore job runs around its restores; kept with the job, never taken from a restore request. */
@Schema(description = "Hooks of a restore job")
public record RestoreHooksSpec(
        @Schema(description = "SQL run in one transaction inside the temporary database after the load and before it takes"
                + " the target's place (anonymise, drop secrets, reset sequences), as the worker's database user: the target"
                + " never shows what it changes. A failure fails the restore with the server's message and leaves the target"
                + " as it was. Not with existingDatabase TRUNCATE, which loads into the target itself.")
        @Size(min = 1, max = 65536) String postRestoreSql) {

    public static final RestoreHooksSpec NONE = new RestoreHooksSpec(null);
}
