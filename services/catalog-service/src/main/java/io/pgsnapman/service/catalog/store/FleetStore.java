package io.pgsnapman.service.catalog.store;

import static io.pgsnapman.service.catalog.store.CatalogStore.instant;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The catalog summed up per dump job, for the fleet's metrics and summary: one query over the dumps table. */
@Repository
public class FleetStore {

    /**
     * One dump job's dumps that retention has not let go.
     *
     * @param newestVerified  when the newest successful VERIFIED dump finished, or null
     * @param newestSucceeded when the newest successful dump not found wrong finished, or null (for jobs that do
     *                        not verify)
     * @param verified        how many are VERIFIED
     * @param notVerified     how many are NOT_VERIFIED
     * @param failed          how many are VERIFICATION_FAILED
     * @param storedBytes     repository bytes of the dumps whose files are not deleted yet
     * @param latest          the job's most recently scheduled dump, whatever became of it
     */
    public record JobDumps(String dumpJobId, String serverId, Instant newestVerified, Instant newestSucceeded,
            long verified, long notVerified, long failed, long storedBytes, LatestDump latest) {}

    /** The longest a failure's stderr line quoted in a reason may be. */
    static final int STDERR_LINE_LIMIT = 300;

    /**
     * A failure's reason with the last line its tool wrote to stderr (where pg_dump says what went wrong), or null.
     */
    public static String failure(String reason, String stderr) {
        if (reason == null || stderr == null || stderr.isBlank()) {
            return reason;
        }
        List<String> lines = stderr.strip().lines().filter(l -> !l.isBlank()).toList();
        String last = lines.get(lines.size() - 1).strip();
        return reason + " — " + (last.length() > STDERR_LINE_LIMIT ? last.substring(0, STDERR_LINE_LIMIT) + "…" : last);
    }

    /** A job's most recently scheduled dump. */
    public record LatestDump(String dumpId, Instant scheduledAt, Instant finishedAt, String outcome, String verification,
            long sizeBytes, long storedBytes, String failureReason) {}

    private final JdbcClient jdbc;

    public FleetStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<JobDumps> byJob() {
        return jdbc.sql("""
                WITH latest AS (
                    SELECT DISTINCT ON (dump_job_id) dump_job_id, dump_id, scheduled_at, finished_at, outcome, verification,
                           size_bytes, stored_bytes, coalesce(failure_reason, verification_error) AS failure_reason,
                           failure_stderr
                    FROM dumps ORDER BY dump_job_id, scheduled_at DESC, dump_id DESC)
                SELECT a.*, l.dump_id AS l_dump_id, l.scheduled_at AS l_scheduled_at, l.finished_at AS l_finished_at,
                       l.outcome AS l_outcome, l.verification AS l_verification, l.size_bytes AS l_size_bytes,
                       l.stored_bytes AS l_stored_bytes, l.failure_reason AS l_failure_reason,
                       l.failure_stderr AS l_failure_stderr
                FROM (SELECT dump_job_id, max(server_id) AS server_id,
                       max(finished_at) FILTER (WHERE kept AND outcome = 'SUCCEEDED' AND verification = 'VERIFIED') AS newest_verified,
                       max(finished_at) FILTER (WHERE kept AND outcome = 'SUCCEEDED' AND verification <> 'VERIFICATION_FAILED')
                           AS newest_succeeded,
                       count(*) FILTER (WHERE kept AND verification = 'VERIFIED') AS verified,
                       count(*) FILTER (WHERE kept AND verification = 'NOT_VERIFIED') AS not_verified,
                       count(*) FILTER (WHERE kept AND verification = 'VERIFICATION_FAILED') AS failed,
                       coalesce(sum(stored_bytes) FILTER (WHERE deleted_at IS NULL), 0) AS stored_bytes
                FROM (SELECT *, retention_state IS NULL AS kept FROM dumps) d
                GROUP BY dump_job_id) a JOIN latest l USING (dump_job_id)
                ORDER BY dump_job_id""")
                .query((rs, n) -> new JobDumps(rs.getString("dump_job_id"), rs.getString("server_id"),
                        instant(rs, "newest_verified"), instant(rs, "newest_succeeded"),
                        rs.getLong("verified"), rs.getLong("not_verified"), rs.getLong("failed"), rs.getLong("stored_bytes"),
                        new LatestDump(rs.getString("l_dump_id"), instant(rs, "l_scheduled_at"), instant(rs, "l_finished_at"),
                                rs.getString("l_outcome"), rs.getString("l_verification"), rs.getLong("l_size_bytes"),
                                rs.getLong("l_stored_bytes"), failure(rs.getString("l_failure_reason"),
                                        rs.getString("l_failure_stderr")))))
                .list();
    }
}
