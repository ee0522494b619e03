package io.pgsnapman.service.catalog.api;

import io.pgsnapman.repository.GarbageReport;
import io.pgsnapman.repository.RepositoryCheck;
import io.pgsnapman.service.catalog.maintenance.RepositoryMaintenance;
import io.pgsnapman.service.catalog.store.CatalogStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.security.Principal;
import java.time.Duration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The repository as a whole: its totals and latest check (from the catalog), garbage collection of chunks no dump
 * uses, and a check that lists every dump a missing or damaged chunk affects (both admin, run by
 * {@link RepositoryMaintenance} while the caller waits; they need {@code pgsnapman.catalog.repository}).
 */
@RestController
@RequestMapping("/api/v1/repository")
@SecurityRequirement(name = "bearer")
@Tag(name = "repository")
public class RepositoryController {

    private final CatalogStore store;
    private final RepositoryMaintenance maintenance;

    public RepositoryController(CatalogStore store, RepositoryMaintenance maintenance) {
        this.store = store;
        this.maintenance = maintenance;
    }

    /**
     * The repository's size.
     *
     * @param dumps        successful dumps in the catalog
     * @param logicalBytes their size as the tools wrote them
     * @param storedBytes  what they take in the repository (after dedup and compression)
     * @param ratio        logical / stored (1 without dedup)
     * @param lastCheck    the latest repository check, asked for or scheduled; null before the first
     */
    public record Totals(long dumps, long logicalBytes, long storedBytes, double ratio,
            @Schema(description = "The latest repository check; dumps it found damaged are VERIFICATION_FAILED")
                    CatalogStore.CheckSummary lastCheck) {}

    @Operation(summary = "The repository's totals (logical and stored bytes of the successful dumps, their ratio) and"
            + " its latest check")
    @GetMapping
    public Totals totals() {
        CatalogStore.Totals t = store.totals();
        return new Totals(t.dumps(), t.logicalBytes(), t.storedBytes(),
                t.storedBytes() == 0 ? 1.0 : (double) t.logicalBytes() / t.storedBytes(), store.lastCheck().orElse(null));
    }

    @Operation(summary = "Remove the chunks no dump uses (admin); with dryRun, only report what would be freed")
    @PostMapping("/gc")
    public GarbageReport collectGarbage(
            @RequestParam(defaultValue = "false") boolean dryRun,
            @Parameter(description = "chunks used more recently are kept (a dump being written may need them)")
                    @RequestParam(defaultValue = "60") @Min(10) @Max(10080) int graceMinutes,
            Principal who) {
        return maintenance.collectGarbage(Duration.ofMinutes(graceMinutes), dryRun, who.getName());
    }

    @Operation(summary = "Check every dump's chunks and files (admin): present, and readDataPercent of them re-hashed;"
            + " every dump found damaged becomes VERIFICATION_FAILED with a catalog event")
    @PostMapping("/verify")
    public RepositoryCheck verify(
            @Parameter(description = "share of chunks and files read back and re-hashed")
                    @RequestParam(defaultValue = "0") @Min(0) @Max(100) int readDataPercent,
            Principal who) {
        return maintenance.check(readDataPercent, who.getName());
    }
}
