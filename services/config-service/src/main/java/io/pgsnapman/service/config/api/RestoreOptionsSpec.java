package io.pgsnapman.service.config.api;

import io.pgsnapman.events.restore.ExistingDatabasePolicy;
import io.pgsnapman.events.restore.RolePolicy;
import io.pgsnapman.events.restore.TablespacePolicy;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/** How to restore; every field has a conservative default. */
@Schema(description = "Restore options; {} is a valid, conservative choice")
public record RestoreOptionsSpec(
        @Schema(defaultValue = "LEAVE") ExistingDatabasePolicy existingDatabase,
        @Schema(defaultValue = "NO_ROLE") RolePolicy roles,
        @Schema(defaultValue = "NO_TBLSPC") TablespacePolicy tablespaces,
        @Schema(defaultValue = "1") @Min(1) @Max(64) Integer parallelJobs,
        @Schema(defaultValue = "false") Boolean schemaOnly,
        @Pattern(regexp = Names.PG_NAME) String schemaName,
        @Schema(defaultValue = "true") Boolean applyDatabaseAcl,
        @Schema(defaultValue = "true") Boolean applyDatabaseSettings,
        String rolesFromDumpId,
        @Schema(defaultValue = "true") Boolean verifyRowCounts) {

    public static final RestoreOptionsSpec DEFAULT = new RestoreOptionsSpec(ExistingDatabasePolicy.LEAVE,
            RolePolicy.NO_ROLE, TablespacePolicy.NO_TBLSPC, 1, false, null, true, true, null, true);

    public RestoreOptionsSpec withDefaults() {
        return new RestoreOptionsSpec(existingDatabase == null ? ExistingDatabasePolicy.LEAVE : existingDatabase,
                roles == null ? RolePolicy.NO_ROLE : roles, tablespaces == null ? TablespacePolicy.NO_TBLSPC : tablespaces,
                parallelJobs == null ? 1 : parallelJobs, schemaOnly != null && schemaOnly, schemaName,
                applyDatabaseAcl == null || applyDatabaseAcl, applyDatabaseSettings == null || applyDatabaseSettings,
                rolesFromDumpId, verifyRowCounts == null || verifyRowCounts);
    }
}
