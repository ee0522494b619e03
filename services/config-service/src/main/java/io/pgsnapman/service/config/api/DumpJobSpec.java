package io.pgsnapman.service.config.api;

import io.pgsnapman.events.config.JobState;
import io.pgsnapman.events.dump.DumpType;
import io.pgsnapman.pgtools.scripts.ScriptNames;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/** A dump job as the API takes and returns it. */
@Schema(description = "What to dump from which server, when, and how long to keep it")
public record DumpJobSpec(
        @Schema(example = "orders-nightly") @NotBlank @Pattern(regexp = Names.RESOURCE_NAME) String name,
        @Schema(description = "Id of the server dumped from") @NotBlank String serverId,
        @Schema(description = "FULL, SCHEMA_ONLY, CLUSTER_SCHEMA_ONLY, GLOBALS or SCRIPT (the files scriptName writes)") @NotNull DumpType dumpType,
        @Schema(description = "Database; required for FULL, SCHEMA_ONLY and SCRIPT, absent for cluster-wide types") @Pattern(regexp = Names.PG_NAME) String databaseName,
        @Schema(description = "Only this schema; absent: all") @Pattern(regexp = Names.PG_NAME) String schemaName,
        @Schema(description = "pg_dump -j", defaultValue = "1") @Min(1) @Max(64) Integer parallelJobs,
        @Schema(description = "pg_dump -Z 0-9, only with dedup false (refused with dedup); absent: pg_dump's default") @Min(0) @Max(9) Integer compressionLevel,
        @Size(max = 100) List<@Pattern(regexp = Names.PG_NAME) String> excludeSchemas,
        @Schema(description = "Tables whose data is left out, as schema.table") @Size(max = 1000) List<@Pattern(regexp = Names.PG_QUALIFIED_TABLE) String> excludeTableData,
        @Schema(description = "SCRIPT: the script in the dump-worker's scripts directory that writes the dump's files"
                + " (a plain file name, never a path); see docs/scripts.md") @Pattern(regexp = ScriptNames.PATTERN) String scriptName,
        @Schema(defaultValue = "ACTIVE") JobState state,
        @Schema(description = "5-field cron", example = "30 1 * * *") @NotBlank String cron,
        @Schema(description = "IANA time zone of the cron", defaultValue = "UTC") String timeZone,
        @Schema(description = "Random delay inside this daily window") @Valid BackupWindowSpec backupWindow,
        @Valid RetentionSpec retention,
        @Schema(defaultValue = "true") Boolean verify,
        @Valid VerificationPolicySpec verification,
        @Schema(description = "Keep the dump as content-defined chunks shared with every other dump (pg_dump then writes"
                + " uncompressed: the repository compresses, and compressionLevel is refused)", defaultValue = "true")
        Boolean dedup,
        @Valid DumpHooksSpec hooks,
        @Size(max = 1000) String description,
        @Size(max = 50) Map<@Pattern(regexp = "[A-Za-z0-9._/-]{1,63}") String, @Size(max = 255) String> labels) {

    public DumpJobSpec withDefaults() {
        return new DumpJobSpec(name, serverId, dumpType, databaseName, schemaName, parallelJobs == null ? 1 : parallelJobs,
                compressionLevel, excludeSchemas == null ? List.of() : excludeSchemas,
                excludeTableData == null ? List.of() : excludeTableData, scriptName, state == null ? JobState.ACTIVE : state, cron,
                timeZone == null ? "UTC" : timeZone, backupWindow,
                retention == null ? RetentionSpec.DEFAULT : retention.withDefaults(), verify == null ? Boolean.TRUE : verify,
                verification == null ? VerificationPolicySpec.DEFAULT : verification.withDefaults(),
                dedup == null ? Boolean.TRUE : dedup, hooks == null ? DumpHooksSpec.NONE : hooks, description,
                labels == null ? Map.of() : labels);
    }

    /** The same job in another state. */
    public DumpJobSpec withState(JobState newState) {
        return new DumpJobSpec(name, serverId, dumpType, databaseName, schemaName, parallelJobs, compressionLevel,
                excludeSchemas, excludeTableData, scriptName, newState, cron, timeZone, backupWindow, retention, verify,
                verification, dedup, hooks, description, labels);
    }
}
