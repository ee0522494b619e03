package io.pgsnapman.service.config.api;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Which successful dumps of a job are kept. Pinned dumps and dumps in use by restore jobs are always kept. */
@Schema(description = "Grandfather-father-son retention; a dump is kept when any rule keeps it")
public record RetentionSpec(
        @Schema(defaultValue = "7") @Min(0) @Max(3660) Integer keepDaily,
        @Schema(defaultValue = "4") @Min(0) @Max(520) Integer keepWeekly,
        @Schema(defaultValue = "12") @Min(0) @Max(1200) Integer keepMonthly,
        @Schema(defaultValue = "0") @Min(0) @Max(100) Integer keepYearly,
        @Schema(defaultValue = "3") @Min(0) @Max(1000) Integer minCount,
        @Schema(defaultValue = "7") @Min(0) @Max(3660) Integer keepFailedDays) {

    public static final RetentionSpec DEFAULT = new RetentionSpec(7, 4, 12, 0, 3, 7);

    public RetentionSpec withDefaults() {
        return new RetentionSpec(or(keepDaily, 7), or(keepWeekly, 4), or(keepMonthly, 12), or(keepYearly, 0),
                or(minCount, 3), or(keepFailedDays, 7));
    }

    private static Integer or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
