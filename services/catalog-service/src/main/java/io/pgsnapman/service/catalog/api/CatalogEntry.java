package io.pgsnapman.service.catalog.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** One dump as the catalog knows it. */
@Schema(description = "A dump in the catalog")
public record CatalogEntry(
        String dumpId,
        String dumpJobId,
        String serverId,
        String databaseName,
        String schemaName,
        String dumpType,
        @Schema(description = "SUCCEEDED or FAILED") String outcome,
        @Schema(description = "CRON or AD_HOC") String trigger,
        Instant scheduledAt,
        Instant startedAt,
        Instant finishedAt,
        @Schema(description = "Where the dump is in the repository") String location,
        String manifestSha256,
        int fileCount,
        @Schema(description = "Size before dedup, bytes") long sizeBytes,
        @Schema(description = "Bytes stored after dedup") long storedBytes,
        String serverVersion,
        String pgDumpVersion,
        @Schema(description = "NOT_VERIFIED, VERIFIED or VERIFICATION_FAILED") String verification,
        @Schema(description = "What the last repository check found missing or damaged, or the tables a test restore"
                + " found different (VERIFICATION_FAILED)")
                String verificationError,
        boolean pinned,
        @Schema(description = "null while kept; EXPIRED (retention let it go, deletion under way) or DELETED")
                String retentionState,
        @Schema(description = "Why retention expired it, e.g. no-rule-keeps-it, failed-too-old, deleted-job")
                String retentionRule,
        @Schema(description = "Why it FAILED") Failure failure,
        String workerId,
        @Schema(description = "event (from dump.completed) or rebuild (from its manifest)") String source,
        Instant catalogedAt,
        @Schema(description = "Restore jobs that would restore this dump now (it is the latest verified dump of their"
                + " source dump job); a dump in use must not be expired") List<String> inUseBy) {

    public CatalogEntry {
        inUseBy = inUseBy == null ? List.of() : List.copyOf(inUseBy);
    }

    /** Whether a restore job refers to it. */
    @JsonProperty("inUse")
    @Schema(description = "Whether a restore job refers to it (inUseBy is not empty)")
    public boolean inUse() {
        return !inUseBy.isEmpty();
    }

    /** The same entry marked as used by these restore jobs. */
    public CatalogEntry withInUseBy(List<String> restoreJobIds) {
        return new CatalogEntry(dumpId, dumpJobId, serverId, databaseName, schemaName, dumpType, outcome, trigger,
                scheduledAt, startedAt, finishedAt, location, manifestSha256, fileCount, sizeBytes, storedBytes,
                serverVersion, pgDumpVersion, verification, verificationError, pinned, retentionState, retentionRule, failure, workerId, source, catalogedAt,
                restoreJobIds);
    }

    /** Why a dump failed: the reason, a SQLSTATE or code, the tool's exit code and stderr. */
    public record Failure(String reason, String code, Integer exitCode, String stderrExcerpt, Boolean retriable) {}
}
