package io.pgsnapman.service.catalog.store;

import static io.pgsnapman.service.catalog.store.CatalogStore.MAPPER;
import static io.pgsnapman.service.catalog.store.CatalogStore.instant;
import static io.pgsnapman.service.catalog.store.CatalogStore.ts;

import io.pgsnapman.service.catalog.api.CatalogEntry;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Retention's part of the catalog database: which dumps are still kept, marking them EXPIRED and DELETED, and the
 * dump jobs seen without their configuration (and since when).
 */
@Repository
public class RetentionStore {

    private final JdbcClient jdbc;

    public RetentionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The dumps of these jobs that retention has not let go, newest first. */
    public List<CatalogEntry> kept(Collection<String> dumpJobIds) {
        if (dumpJobIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT * FROM dumps WHERE dump_job_id IN (:jobs) AND retention_state IS NULL"
                + " ORDER BY dump_job_id, scheduled_at DESC, dump_id DESC").param("jobs", dumpJobIds).query(MAPPER).list();
    }

    /** The jobs that have dumps retention has not let go. */
    public List<String> jobsWithKeptDumps() {
        return jdbc.sql("SELECT DISTINCT dump_job_id FROM dumps WHERE retention_state IS NULL ORDER BY dump_job_id")
                .query(String.class).list();
    }

    /**
     * Marks kept dumps EXPIRED, each by its rule ({@code rules} in the order of {@code dumpIds}); returns how many
     * changed (a dump expired already, or unknown, is left as it is).
     */
    public int expire(List<String> dumpIds, List<String> rules, Instant at) {
        return jdbc.sql("UPDATE dumps d SET retention_state = 'EXPIRED', retention_rule = x.rule, expired_at = :at"
                        + " FROM unnest(CAST(:ids AS text[]), CAST(:rules AS text[])) AS x(id, rule)"
                        + " WHERE d.dump_id = x.id AND d.retention_state IS NULL")
                .param("ids", dumpIds.toArray(String[]::new)).param("rules", rules.toArray(String[]::new))
                .param("at", ts(at)).update();
    }

    /** Marks a dump DELETED from the repository; false when it is not in the catalog or was marked already. */
    public boolean markDeleted(String dumpId, Instant at) {
        return jdbc.sql("UPDATE dumps SET retention_state = 'DELETED', deleted_at = :at"
                        + " WHERE dump_id = :id AND retention_state IS DISTINCT FROM 'DELETED'")
                .param("at", ts(at)).param("id", dumpId).update() == 1;
    }

    /** Since when each of these jobs has been seen without its configuration, for those that have. */
    public Map<String, Instant> missingSince(Collection<String> dumpJobIds) {
        Map<String, Instant> since = new HashMap<>();
        if (!dumpJobIds.isEmpty()) {
            jdbc.sql("SELECT dump_job_id, missing_since FROM missing_dump_jobs WHERE dump_job_id IN (:jobs)")
                    .param("jobs", dumpJobIds)
                    .query((rs, n) -> since.put(rs.getString(1), instant(rs, "missing_since"))).list();
        }
        return since;
    }

    /** Records these jobs as seen without their configuration from {@code now} (unless recorded before). */
    public void recordMissing(Collection<String> dumpJobIds, Instant now) {
        for (String job : dumpJobIds) {
            jdbc.sql("INSERT INTO missing_dump_jobs (dump_job_id, missing_since) VALUES (:job, :now)"
                    + " ON CONFLICT (dump_job_id) DO NOTHING").param("job", job).param("now", ts(now)).update();
        }
    }

    /** These jobs have their configuration (again). */
    public void present(Collection<String> dumpJobIds) {
        if (!dumpJobIds.isEmpty()) {
            jdbc.sql("DELETE FROM missing_dump_jobs WHERE dump_job_id IN (:jobs)").param("jobs", dumpJobIds).update();
        }
    }
}
