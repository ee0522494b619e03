package io.pgsnapman.service.config.api;

import io.pgsnapman.events.config.SslMode;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * A PostgreSQL server as the API takes and returns it. Absent optional fields get their defaults. Holds a
 * credential reference that workers resolve locally, never a password.
 */
@Schema(description = "A PostgreSQL server to dump from or restore to")
public record ServerSpec(
        @Schema(description = "Unique name", example = "prod-orders") @NotBlank @Pattern(regexp = Names.RESOURCE_NAME) String name,
        @Schema(description = "Host name or IP", example = "db1.internal") @NotBlank @Pattern(regexp = Names.HOST) String host,
        @Schema(description = "TCP port", defaultValue = "5432") @Min(1) @Max(65535) Integer port,
        @Schema(description = "Database for cluster-level work", defaultValue = "postgres") @Pattern(regexp = Names.PG_NAME) String maintenanceDatabase,
        @Schema(description = "Role the tools connect as", defaultValue = "postgres") @Pattern(regexp = Names.PG_NAME) String username,
        @Schema(description = "Credential the workers resolve locally (PGSNAPMAN_CREDENTIAL_<REF>, a credentials file, or .pgpass)")
                @Pattern(regexp = Names.CREDENTIAL_REF) String credentialRef,
        @Schema(description = "libpq sslmode", defaultValue = "PREFER") SslMode sslMode,
        @Schema(description = "Worker pool serving this server", defaultValue = "default") @Pattern(regexp = Names.POOL) String workerPool,
        @Schema(description = "Directory of the client tools for this server; absent: the newest on the worker") @Pattern(regexp = "/[^\\x00]{0,1023}") String pgBinDir,
        @Schema(description = "Dumps may be taken", defaultValue = "true") Boolean allowDumps,
        @Schema(description = "Restores may target it", defaultValue = "false") Boolean allowRestores,
        @Schema(description = "Dumps at once against this server", defaultValue = "2") @Min(1) @Max(64) Integer maxConcurrentDumps,
        @Schema(description = "When present, a verification server: test restores of dumps run here") @Valid VerificationServerSpec verification,
        @Schema(description = "Create FULL dump jobs for databases that appear") @Valid AutoDumpJobSpec autoDumpJob,
        @Size(max = 1000) String description,
        @Size(max = 50) Map<@Pattern(regexp = "[A-Za-z0-9._/-]{1,63}") String, @Size(max = 255) String> labels) {

    /** The same spec with every absent optional field at its default. */
    public ServerSpec withDefaults() {
        return new ServerSpec(name, host, port == null ? 5432 : port,
                maintenanceDatabase == null ? "postgres" : maintenanceDatabase,
                username == null ? "postgres" : username, credentialRef,
                sslMode == null ? SslMode.PREFER : sslMode, workerPool == null ? "default" : workerPool, pgBinDir,
                allowDumps == null ? Boolean.TRUE : allowDumps, allowRestores == null ? Boolean.FALSE : allowRestores,
                maxConcurrentDumps == null ? 2 : maxConcurrentDumps, verification == null ? null : verification.withDefaults(),
                autoDumpJob == null ? null : autoDumpJob.withDefaults(), description, labels == null ? Map.of() : labels);
    }
}
