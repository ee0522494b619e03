package io.pgsnapman.service.config.api;

import io.pgsnapman.events.config.VerificationMode;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Which dumps of a job are proven by a test restore on a verification server. */
@Schema(description = "Which dumps get a test restore on a verification server, besides the checksum check every dump"
        + " gets; needs verify: true")
public record VerificationPolicySpec(
        @Schema(description = "CHECKSUMS (no test restore), EVERY_DUMP, EVERY_NTH (the first, then every nth), PERCENTAGE"
                + " or PERIOD (at most one per period)", defaultValue = "CHECKSUMS") VerificationMode mode,
        @Schema(description = "With EVERY_NTH", defaultValue = "1") @Min(1) @Max(1000) Integer everyNth,
        @Schema(description = "With PERCENTAGE: share of dumps, 1 to 100", defaultValue = "100") @Min(1) @Max(100) Integer percent,
        @Schema(description = "With PERIOD: hours", defaultValue = "24") @Min(1) @Max(8784) Integer periodHours) {

    public static final VerificationPolicySpec DEFAULT = new VerificationPolicySpec(VerificationMode.CHECKSUMS, 1, 100, 24);

    public VerificationPolicySpec withDefaults() {
        return new VerificationPolicySpec(mode == null ? VerificationMode.CHECKSUMS : mode, everyNth == null ? 1 : everyNth,
                percent == null ? 100 : percent, periodHours == null ? 24 : periodHours);
    }
}
