package io.pgsnapman.service.catalog.store;

import static io.pgsnapman.service.catalog.store.CatalogStore.instant;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The catalog summed up per dump job, for the fleet's metrics: one query over the dumps table. */
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
     */
    public record JobDumps(String dumpJobId, String serverId, Instant newestVerified, Instant newestSucceeded,
            long verified, long notVerified, long failed, long storedBytes) {}

    private final JdbcClient jdbc;

    public FleetStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<JobDumps> byJob() {
        return jdbc.sql("""
                SELECT dump_job_id, max(server_id) AS server_id,
                       max(finished_at) FILTER (WHERE kept AND outcome = 'SUCCEEDED' AND verification = 'VERIFIED') AS newest_verified,
                       max(finished_at) FILTER (WHERE kept AND outcome = 'SUCCEEDED' AND verification <> 'VERIFICATION_FAILED')
                           AS newest_succeeded,
                       count(*) FILTER (WHERE kept AND verification = 'VERIFIED') AS verified,
                       count(*) FILTER (WHERE kept AND verification = 'NOT_VERIFIED') AS not_verified,
                       count(*) FILTER (WHERE kept AND verification = 'VERIFICATION_FAILED') AS failed,
                       coalesce(sum(stored_bytes) FILTER (WHERE deleted_at IS NULL), 0) AS stored_bytes
                FROM (SELECT *, retention_state IS NULL AS kept FROM dumps) d
                GROUP BY dump_job_id ORDER BY dump_job_id""")
                .query((rs, n) -> new JobDumps(rs.getString("dump_job_id"), rs.getString("server_id"),
                        instant(rs, "newest_verified"), instant(rs, "newest_succeeded"),
                        rs.getLong("verified"), rs.getLong("not_verified"), rs.getLong("failed"), rs.getLong("stored_bytes")))
                .list();
    }
}
