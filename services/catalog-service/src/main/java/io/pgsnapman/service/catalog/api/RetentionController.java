package io.pgsnapman.service.catalog.api;

import io.pgsnapman.service.catalog.retention.RetentionService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Retention by hand: a dry run listing, for one job, what would expire and the rule that keeps each other dump
 * (viewer), and a pass now over one job or all (admin) — the same as catalog-service runs after every dump and on
 * its schedule.
 */
@RestController
@RequestMapping("/api/v1/retention")
@SecurityRequirement(name = "bearer")
@Tag(name = "retention")
public class RetentionController {

    private static final Logger log = LoggerFactory.getLogger(RetentionController.class);

    private final RetentionService retention;

    public RetentionController(RetentionService retention) {
        this.retention = retention;
    }

    @Operation(summary = "What retention would do now to the kept dumps of one dump job, or of every job with kept"
            + " dumps: each dump with the rule that keeps it or why it would expire (changes nothing)")
    @GetMapping("/preview")
    public List<RetentionService.Preview> preview(
            @Parameter(description = "the job; absent: every job") @RequestParam(required = false) String dumpJobId) {
        return dumpJobId == null ? retention.previewAll() : List.of(retention.preview(dumpJobId));
    }

    /** @param expired dumps expired by this pass */
    public record Pass(int expired) {}

    @Operation(summary = "Apply retention now to one dump job, or to every job with kept dumps (admin)")
    @PostMapping("/run")
    public Pass run(@Parameter(description = "the job; absent: every job") @RequestParam(required = false) String dumpJobId,
            Principal who) {
        log.info("{} runs retention on {}", who.getName(), dumpJobId == null ? "every job" : "job " + dumpJobId);
        return new Pass(dumpJobId == null ? retention.applyAll() : retention.apply(dumpJobId));
    }
}
