package io.pgsnapman.service.catalog.api;

import io.pgsnapman.service.catalog.store.VerificationStore;
import io.pgsnapman.service.catalog.verification.VerificationService;
import io.pgsnapman.service.catalog.verification.VerificationState;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.security.Principal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Verification history: every test restore of a dump or a job, planned, running or ended, and a test restore asked
 * for now (operators). Which dumps get one by themselves is each dump job's verification policy.
 */
@RestController
@RequestMapping("/api/v1/verifications")
@SecurityRequirement(name = "bearer")
@Tag(name = "verifications")
@Validated
public class VerificationController {

    private final VerificationStore verifications;
    private final VerificationService service;

    public VerificationController(VerificationStore verifications, VerificationService service) {
        this.verifications = verifications;
        this.service = service;
    }

    @Operation(summary = "List verifications by test restore, newest first")
    @GetMapping
    public List<VerificationEntry> list(
            @Parameter(description = "Only this dump's") @RequestParam(required = false) String dumpId,
            @Parameter(description = "Only this dump job's") @RequestParam(required = false) String dumpJobId,
            @Parameter(description = "Only in this state") @RequestParam(required = false) VerificationState state,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return verifications.list(dumpId, dumpJobId, state, limit);
    }

    /** A request for a test restore of one dump. */
    @Schema(description = "Which dump to test-restore")
    public record VerifyRequest(@Schema(description = "The dump; it must have SUCCEEDED and passed its checksums")
            @NotBlank String dumpId) {}

    @Operation(summary = "Plan a test restore of a dump now (operator); it runs when a verification server has room")
    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    public VerificationEntry verify(@Valid @RequestBody VerifyRequest request, Principal who) {
        return service.request(request.dumpId(), who.getName())
                .orElseThrow(() -> new NotFoundException("dump '" + request.dumpId() + "' is not in the catalog"));
    }
}
