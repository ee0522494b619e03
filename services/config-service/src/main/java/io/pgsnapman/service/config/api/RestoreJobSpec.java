package io.pgsnapman.service.config.api;

import io.pgsnapman.events.config.JobState;
import io.pgsnapman.events.config.RestoreJobTrigger;
import io.pgsnapman.pgtools.scripts.ScriptNames;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/** A restore job as the API takes and returns it (it runs from the restore issue on; configured now). */
@Schema(description = "Restore dumps of a dump job into a database on a target server")
public record RestoreJobSpec(
        @NotBlank @Pattern(regexp = Names.RESOURCE_NAME) String name,
        @Schema(description = "Dump job whose dumps are restored") @NotBlank String sourceDumpJobId,
        @Schema(description = "Server restored to; it must allow restores") @NotBlank String targetServerId,
        @NotBlank @Pattern(regexp = Names.PG_NAME) String targetDatabaseName,
        @Schema(description = "ON_DUMP, CRON or MANUAL", defaultValue = "ON_DUMP") RestoreJobTrigger trigger,
        @Schema(description = "5-field cron, with trigger CRON") String cron,
        @Schema(defaultValue = "UTC") String timeZone,
        @Schema(defaultValue = "ACTIVE") JobState state,
        @Valid RestoreOptionsSpec options,
        @Schema(description = "A SCRIPT restore: the script in the restore-worker's scripts directory that loads the dump's"
                + " files into the temporary database instead of pg_restore (a plain file name, never a path); required"
                + " for SCRIPT dump jobs. See docs/scripts.md") @Pattern(regexp = ScriptNames.PATTERN) String scriptName,
        @Valid RestoreHooksSpec hooks,
        @Size(max = 1000) String description,
        @Size(max = 50) Map<@Pattern(regexp = "[A-Za-z0-9._/-]{1,63}") String, @Size(max = 255) String> labels) {

    public RestoreJobSpec withDefaults() {
        return new RestoreJobSpec(name, sourceDumpJobId, targetServerId, targetDatabaseName,
                trigger == null ? RestoreJobTrigger.ON_DUMP : trigger, cron, timeZone == null ? "UTC" : timeZone,
                state == null ? JobState.ACTIVE : state,
                options == null ? RestoreOptionsSpec.DEFAULT : options.withDefaults(), scriptName,
                hooks == null ? RestoreHooksSpec.NONE : hooks, description,
                labels == null ? Map.of() : labels);
    }
}
