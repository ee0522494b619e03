package io.pgsnapman.service.config.api;

import io.pgsnapman.events.config.JobState;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The rule that creates a FULL dump job for each database appearing on a server. */
@Schema(description = "Creates a FULL dump job for each database that appears on the server")
public record AutoDumpJobSpec(
        @Schema(description = "State of created jobs", defaultValue = "HALTED") JobState jobState,
        @Schema(description = "5-field cron of created jobs", example = "15 2 * * *") @NotBlank String cron,
        @Schema(description = "IANA time zone", defaultValue = "UTC") String timeZone,
        @Schema(description = "Databases never given a job", defaultValue = "[\"template0\", \"template1\"]")
                @Size(max = 1000) List<@Pattern(regexp = Names.PG_NAME) String> excludeDatabases,
        @Valid RetentionSpec retention) {

    public AutoDumpJobSpec withDefaults() {
        return new AutoDumpJobSpec(jobState == null ? JobState.HALTED : jobState, cron,
                timeZone == null ? "UTC" : timeZone,
                excludeDatabases == null ? List.of("template0", "template1") : excludeDatabases,
                retention == null ? RetentionSpec.DEFAULT : retention.withDefaults());
    }
}
