package io.pgsnapman.service.catalog.api;

import io.pgsnapman.repository.DumpRepository;
import io.pgsnapman.repository.GarbageReport;
import io.pgsnapman.repository.RepositoryCheck;
import io.pgsnapman.service.catalog.store.CatalogStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.security.Principal;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The repository as a whole: its totals (from the catalog), garbage collection of chunks no dump uses, and a
 * check that lists every dump a missing or damaged chunk affects (both admin, both run here and answer when
 * done; they need {@code pgsnapman.catalog.repository}).
 */
@RestController
@RequestMapping("/api/v1/repository")
@SecurityRequirement(name = "bearer")
@Tag(name = "repository")
public class RepositoryController {

    private static final Logger log = LoggerFactory.getLogger(RepositoryController.class);

    private final CatalogStore store;
    private final Optional<DumpRepository> repository;

    public RepositoryController(CatalogStore store, Optional<DumpRepository> repository) {
        this.store = store;
        this.repository = repository;
    }

    /**
     * The repository's size.
     *
     * @param dumps        successful dumps in the catalog
     * @param logicalBytes their size as the tools wrote them
     * @param storedBytes  what they take in the repository (after dedup and compression)
     * @param ratio        logical / stored (1 without dedup)
     */
    public record Totals(long dumps, long logicalBytes, long storedBytes, double ratio) {}

    @Operation(summary = "The repository's totals: logical and stored bytes of the successful dumps, and their ratio")
    @GetMapping
    public Totals totals() {
        CatalogStore.Totals t = store.totals();
        return new Totals(t.dumps(), t.logicalBytes(), t.storedBytes(),
                t.storedBytes() == 0 ? 1.0 : (double) t.logicalBytes() / t.storedBytes());
    }

    @Operation(summary = "Remove the chunks no dump uses (admin); with dryRun, only report what would be freed")
    @PostMapping("/gc")
    public GarbageReport collectGarbage(
            @RequestParam(defaultValue = "false") boolean dryRun,
            @Parameter(description = "chunks used more recently are kept (a dump being written may need them)")
                    @RequestParam(defaultValue = "60") @Min(10) @Max(10080) int graceMinutes,
            Principal who) {
        log.info("{} asked for garbage collection (dry run: {}, grace {} min)", who.getName(), dryRun, graceMinutes);
        return repo().collectGarbage(Duration.ofMinutes(graceMinutes), dryRun);
    }

    @Operation(summary = "Check every dump's chunks and files (admin): present, and readDataPercent of them re-hashed")
    @PostMapping("/verify")
    public RepositoryCheck verify(
            @Parameter(description = "share of chunks and files read back and re-hashed")
                    @RequestParam(defaultValue = "0") @Min(0) @Max(100) int readDataPercent,
            Principal who) {
        log.info("{} asked for a repository check reading {} % of the data", who.getName(), readDataPercent);
        return repo().check(readDataPercent);
    }

    private DumpRepository repo() {
        return repository.orElseThrow(() -> new IllegalStateException(
                "no repository configured (pgsnapman.catalog.repository): cannot reach the chunks"));
    }
}
