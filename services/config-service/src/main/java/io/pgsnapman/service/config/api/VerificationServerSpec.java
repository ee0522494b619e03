package io.pgsnapman.service.config.api;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** Marks a server as one test restores run on, with what it may take. */
@Schema(description = "Test restores of dumps run on this server, within this disk budget and cap; restores need not be"
        + " allowed (test restores go into scratch databases named pgsnapman_verify_..., dropped afterwards)")
public record VerificationServerSpec(
        @Schema(description = "Bytes the scratch databases of running test restores may take together; a dump whose source"
                + " database was larger is skipped with the reason", example = "107374182400")
                @NotNull @Min(1) Long diskBudgetBytes,
        @Schema(description = "Test restores at once on this server", defaultValue = "1") @Min(1) @Max(64) Integer maxConcurrent,
        @Schema(description = "PostgreSQL major version the server runs: dumps are verified on their source's major when"
                + " a verification server runs it, else on the nearest newer one", example = "15")
                @NotNull @Min(9) @Max(99) Integer majorVersion) {

    public VerificationServerSpec withDefaults() {
        return new VerificationServerSpec(diskBudgetBytes, maxConcurrent == null ? 1 : maxConcurrent, majorVersion);
    }
}
