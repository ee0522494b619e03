package io.pgsnapman.service.catalog.api;

import io.pgsnapman.service.catalog.fleet.FleetEntry;
import io.pgsnapman.service.catalog.fleet.FleetView;
import io.pgsnapman.service.catalog.fleet.JobHealth;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The fleet at a glance (viewers): every dump job with its latest dump and the age of its newest verified dump
 * against its schedule, failures first — what {@code pgsnapman status} prints.
 */
@RestController
@RequestMapping("/api/v1/fleet")
@SecurityRequirement(name = "bearer")
@Tag(name = "fleet")
public class FleetController {

    private final FleetView fleet;

    public FleetController(FleetView fleet) {
        this.fleet = fleet;
    }

    /** The summary. */
    @Schema(description = "Every dump job's health, failures first, and how many jobs have each health")
    public record FleetSummary(
            @Schema(description = "When the jobs were judged") Instant generatedAt,
            @Schema(description = "Jobs per health (of those listed); every health is present") Map<JobHealth, Long> counts,
            @Schema(description = "Repository bytes of the listed jobs' dumps") long storedBytes,
            List<FleetEntry> jobs) {}

    @Operation(summary = "Every dump job's health, latest dump and newest verified dump's age, failures first")
    @GetMapping
    public FleetSummary summary(
            @Parameter(description = "Only jobs of this server (id)") @RequestParam(required = false) String serverId,
            @Parameter(description = "Only this dump job") @RequestParam(required = false) String dumpJobId,
            @Parameter(description = "Only jobs with this health") @RequestParam(required = false) JobHealth health) {
        Instant at = fleet.clock().instant();
        List<FleetEntry> jobs = fleet.entries().stream()
                .filter(e -> serverId == null || serverId.equals(e.serverId()))
                .filter(e -> dumpJobId == null || dumpJobId.equals(e.dumpJobId()))
                .filter(e -> health == null || health == e.health())
                .toList();
        Map<JobHealth, Long> counts = new EnumMap<>(JobHealth.class);
        for (JobHealth h : JobHealth.values()) {
            counts.put(h, jobs.stream().filter(e -> e.health() == h).count());
        }
        return new FleetSummary(at, counts, jobs.stream().mapToLong(FleetEntry::storedBytes).sum(), jobs);
    }
}
