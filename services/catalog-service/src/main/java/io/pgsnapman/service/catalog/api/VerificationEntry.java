package io.pgsnapman.service.catalog.api;

import io.pgsnapman.service.catalog.verification.VerificationState;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** One verification by test restore of a dump, as the catalog keeps it. */
@Schema(description = "A verification by test restore: planned, running, or how it ended")
public record VerificationEntry(
        @Schema(description = "Also the id of its VERIFY restore request") String verificationId,
        String dumpId,
        String dumpJobId,
        @Schema(description = "PLANNED, RUNNING, VERIFIED, FAILED (the dump is VERIFICATION_FAILED), ERROR (could not run;"
                + " says nothing about the dump) or SKIPPED") VerificationState state,
        @Schema(description = "policy, or who asked") String requestedBy,
        Instant plannedAt,
        Instant startedAt,
        Instant finishedAt,
        @Schema(description = "Verification server used") String serverId,
        @Schema(description = "PostgreSQL version the restore-worker found on it") String serverVersion,
        @Schema(description = "Scratch database it was restored into (dropped afterwards)") String scratchDatabase,
        @Schema(description = "Bytes counted against the server's disk budget") Long needsBytes,
        @Schema(description = "Tables compared") int tablesChecked,
        @Schema(description = "Tables whose row count or content checksum differed") List<TableDifference> differences,
        @Schema(description = "Why it FAILED, ended in ERROR, was SKIPPED, or waits") String reason) {

    public VerificationEntry {
        differences = differences == null ? List.of() : List.copyOf(differences);
    }

    /** One table that differed: row counts (-1: missing) and checksums (absent when not compared). */
    public record TableDifference(String schemaName, String tableName, long expectedRows, long actualRows,
            String expectedChecksum, String actualChecksum) {}
}
