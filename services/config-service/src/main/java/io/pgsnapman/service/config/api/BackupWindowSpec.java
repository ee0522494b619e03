package io.pgsnapman.service.config.api;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** A daily window of local times (in the job's zone); it may span midnight. */
@Schema(description = "Daily window, HH:mm in the job's time zone")
public record BackupWindowSpec(
        @Schema(example = "23:00") @NotBlank @Pattern(regexp = Names.HH_MM) String start,
        @Schema(example = "04:00") @NotBlank @Pattern(regexp = Names.HH_MM) String end) {}
