package io.pgsnapman.service.catalog.fleet;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * One dump job in the fleet summary: its configuration as catalog-service knows it, its latest dump, and the age of
 * its newest verified dump against its schedule.
 */
@Schema(description = "One dump job at a glance")
public record FleetEntry(
        String dumpJobId,
        @Schema(description = "The job's name; absent for a job deleted from the configuration") String name,
        String serverId,
        @Schema(description = "The server's name when known, else its id") String serverName,
        @Schema(description = "FAILED, LATE, UNVERIFIED, OK, HALTED or DELETED; the list is in this order") JobHealth health,
        @Schema(description = "Why the job has this health, in words") String reason,
        @Schema(description = "The most recently scheduled dump, whatever became of it; absent before the first") LatestDump lastDump,
        @Schema(description = "When the newest verified dump (for a job that does not verify: the newest successful one) finished")
        Instant newestVerifiedAt,
        @Schema(description = "Its age in seconds when this summary was made") Long newestVerifiedAgeSeconds,
        @Schema(description = "The schedule's longest gap between two runs, in seconds; absent unless ACTIVE") Long intervalSeconds,
        @Schema(description = "Dumps retention keeps, by verification status") KeptDumps kept,
        @Schema(description = "Repository bytes of the dumps whose files are not deleted") long storedBytes) {

    /** The dumps retention keeps, by verification status. */
    public record KeptDumps(long verified, long notVerified, long verificationFailed) {

        @Schema(description = "All of them")
        @JsonProperty("total")
        public long total() {
            return verified + notVerified + verificationFailed;
        }
    }

    /** A job's most recently scheduled dump. */
    public record LatestDump(String dumpId, Instant scheduledAt, Instant finishedAt, String outcome, String verification,
            long sizeBytes, long storedBytes, String failureReason) {}
}
