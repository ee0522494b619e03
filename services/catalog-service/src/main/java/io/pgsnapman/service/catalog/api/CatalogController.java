package io.pgsnapman.service.catalog.api;

import io.pgsnapman.service.catalog.CatalogRebuild;
import io.pgsnapman.service.catalog.maintenance.CatalogEvents;
import io.pgsnapman.service.catalog.store.CatalogStore;
import io.pgsnapman.service.catalog.store.RepositoryPins;
import io.pgsnapman.service.catalog.store.RestoreStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.security.Principal;
import java.time.Instant;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The catalog of dumps and restores: list with filters and paging, show one, pin and unpin a dump, rebuild
 * from the repository. A pin or unpin is recorded in the repository too and announced as a catalog event; a
 * rebuild restores it, and never turns a SUCCEEDED entry FAILED.
 */
@RestController
@RequestMapping("/api/v1")
@SecurityRequirement(name = "bearer")
@Tag(name = "catalog")
public class CatalogController {

    private final CatalogStore store;
    private final RestoreStore restores;
    private final CatalogRebuild rebuild;
    private final InUseMarker inUse;
    private final RepositoryPins pins;
    private final CatalogEvents events;

    public CatalogController(CatalogStore store, RestoreStore restores, CatalogRebuild rebuild, InUseMarker inUse,
            RepositoryPins pins, CatalogEvents events) {
        this.store = store;
        this.restores = restores;
        this.rebuild = rebuild;
        this.inUse = inUse;
        this.pins = pins;
        this.events = events;
    }

    @Operation(summary = "List dumps, newest first")
    @GetMapping("/dumps")
    public Page<CatalogEntry> list(
            @RequestParam(required = false) String serverId,
            @RequestParam(required = false) String databaseName,
            @RequestParam(required = false) String dumpJobId,
            @Parameter(description = "SUCCEEDED or FAILED") @RequestParam(required = false)
                    @Pattern(regexp = "SUCCEEDED|FAILED", message = "must be SUCCEEDED or FAILED") String outcome,
            @Parameter(description = "scheduled at or after (ISO-8601)") @RequestParam(required = false)
                    @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @Parameter(description = "scheduled before (ISO-8601)") @RequestParam(required = false)
                    @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        Page<CatalogEntry> found = store.list(new DumpFilter(serverId, databaseName, dumpJobId, outcome, from, to), page, size);
        return found.withItems(inUse.mark(found.items()));
    }

    @Operation(summary = "Show one dump; the id may contain '/' (e.g. job-1/20260101T020000Z)")
    @GetMapping("/dumps/{*dumpId}")
    public CatalogEntry show(@PathVariable String dumpId) {
        String id = dumpId.startsWith("/") ? dumpId.substring(1) : dumpId;
        return inUse.mark(store.find(id).orElseThrow(() -> new NotFoundException("dump '" + id + "' is not in the catalog")));
    }

    @Operation(summary = "Pin a dump: it is kept whatever the retention (operator); the id may contain '/'")
    @PutMapping("/pins/{*dumpId}")
    public CatalogEntry pin(@PathVariable String dumpId, Principal who) {
        return setPinned(dumpId, true, who);
    }

    @Operation(summary = "Unpin a dump: retention applies to it again (operator)")
    @DeleteMapping("/pins/{*dumpId}")
    public CatalogEntry unpin(@PathVariable String dumpId, Principal who) {
        return setPinned(dumpId, false, who);
    }

    private CatalogEntry setPinned(String dumpId, boolean pinned, Principal who) {
        String id = dumpId.startsWith("/") ? dumpId.substring(1) : dumpId;
        CatalogEntry entry = store.find(id).orElseThrow(() -> new NotFoundException("dump '" + id + "' is not in the catalog"));
        if (entry.pinned() != pinned) {
            pins.record(id, pinned);
            events.pinned(entry, pinned, who.getName());
            store.pin(id, pinned);
        }
        return show(id);
    }

    @Operation(summary = "List restores, newest first")
    @GetMapping("/restores")
    public Page<RestoreEntry> restores(
            @RequestParam(required = false) String targetServerId,
            @RequestParam(required = false) String dumpId,
            @Parameter(description = "SUCCEEDED, FAILED or REJECTED") @RequestParam(required = false)
                    @Pattern(regexp = "SUCCEEDED|FAILED|REJECTED", message = "must be SUCCEEDED, FAILED or REJECTED") String outcome,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        return restores.list(targetServerId, dumpId, outcome, page, size);
    }

    @Operation(summary = "Show one restore by its request id (which may contain '/')")
    @GetMapping("/restores/{*restoreRequestId}")
    public RestoreEntry restore(@PathVariable String restoreRequestId) {
        String id = restoreRequestId.startsWith("/") ? restoreRequestId.substring(1) : restoreRequestId;
        return restores.find(id).orElseThrow(() -> new NotFoundException("restore '" + id + "' is not in the catalog"));
    }

    @Operation(summary = "Rebuild the catalog from the repository's manifests (admin)")
    @PostMapping("/catalog/rebuild")
    public CatalogRebuild.Result rebuild(Principal who) {
        return rebuild.run(who.getName());
    }
}
