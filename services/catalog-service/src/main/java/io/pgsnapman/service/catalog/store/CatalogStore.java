package io.pgsnapman.service.catalog.store;

import io.pgsnapman.events.dump.DumpCompleted;
import io.pgsnapman.repository.Manifest;
import io.pgsnapman.service.catalog.api.CatalogEntry;
import io.pgsnapman.service.catalog.api.DumpFilter;
import io.pgsnapman.service.catalog.api.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The catalog database. Writes are upserts by dump id, so a redelivered event changes nothing; a FAILED
 * outcome never replaces a SUCCEEDED one of the same dump (a late duplicate of an earlier attempt).
 */
@Repository
public class CatalogStore {

    private static final String UPSERT = """
            INSERT INTO dumps (dump_id, dump_job_id, server_id, database_name, schema_name, dump_type, outcome, trigger,
                scheduled_at, started_at, finished_at, location, manifest_sha256, file_count, size_bytes, stored_bytes,
                server_version, pg_dump_version, verification, pinned, failure_reason, failure_code, failure_exit_code,
                failure_stderr, failure_retriable, worker_id, source, last_event_id, cataloged_at, database_size_bytes)
            VALUES (:dumpId, :dumpJobId, :serverId, :databaseName, :schemaName, :dumpType, :outcome, :trigger,
                :scheduledAt, :startedAt, :finishedAt, :location, :manifestSha256, :fileCount, :sizeBytes, :storedBytes,
                :serverVersion, :pgDumpVersion, :verification, :pinned, :failureReason, :failureCode, :failureExitCode,
                :failureStderr, :failureRetriable, :workerId, :source, :eventId, :catalogedAt, :databaseSizeBytes)
            ON CONFLICT (dump_id) DO UPDATE SET
                outcome = EXCLUDED.outcome, started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,
                location = EXCLUDED.location, manifest_sha256 = EXCLUDED.manifest_sha256,
                file_count = EXCLUDED.file_count, size_bytes = EXCLUDED.size_bytes, stored_bytes = EXCLUDED.stored_bytes,
                server_version = EXCLUDED.server_version, pg_dump_version = EXCLUDED.pg_dump_version,
                verification = EXCLUDED.verification, verification_error = NULL, pinned = dumps.pinned OR EXCLUDED.pinned,
                failure_reason = EXCLUDED.failure_reason, failure_code = EXCLUDED.failure_code,
                failure_exit_code = EXCLUDED.failure_exit_code, failure_stderr = EXCLUDED.failure_stderr,
                failure_retriable = EXCLUDED.failure_retriable, worker_id = EXCLUDED.worker_id,
                source = EXCLUDED.source, last_event_id = EXCLUDED.last_event_id, cataloged_at = EXCLUDED.cataloged_at,
                database_size_bytes = coalesce(EXCLUDED.database_size_bytes, dumps.database_size_bytes)
            WHERE NOT (dumps.outcome = 'SUCCEEDED' AND EXCLUDED.outcome = 'FAILED')""";

    private final JdbcClient jdbc;
    private final Clock clock;

    public CatalogStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records a dump's outcome. */
    public void record(DumpCompleted d) {
        Map<String, Object> p = new HashMap<>();
        p.put("dumpId", d.getDumpId());
        p.put("dumpJobId", d.getDumpJobId());
        p.put("serverId", d.getServerId());
        p.put("databaseName", d.getSpec().getDatabaseName());
        p.put("schemaName", d.getSpec().getSchemaName());
        p.put("dumpType", d.getSpec().getDumpType().name());
        p.put("outcome", d.getOutcome().name());
        p.put("trigger", d.getTrigger().name());
        p.put("scheduledAt", ts(d.getScheduledAt()));
        p.put("startedAt", ts(d.getStartedAt()));
        p.put("finishedAt", ts(d.getFinishedAt()));
        p.put("location", d.getLocation());
        p.put("manifestSha256", d.getManifestSha256());
        p.put("fileCount", d.getFileCount());
        p.put("sizeBytes", d.getSizeBytes());
        p.put("storedBytes", d.getStoredBytes());
        p.put("serverVersion", d.getServerVersion());
        p.put("pgDumpVersion", d.getPgDumpVersion());
        p.put("databaseSizeBytes", d.getDatabaseSizeBytes());
        p.put("verification", d.getVerification().name());
        p.put("pinned", d.getPinned());
        p.put("failureReason", d.getFailure() == null ? null : d.getFailure().getReason());
        p.put("failureCode", d.getFailure() == null ? null : d.getFailure().getCode());
        p.put("failureExitCode", d.getFailure() == null ? null : d.getFailure().getExitCode());
        p.put("failureStderr", d.getFailure() == null ? null : d.getFailure().getStderrExcerpt());
        p.put("failureRetriable", d.getFailure() == null ? null : d.getFailure().getRetriable());
        p.put("workerId", d.getWorkerId());
        p.put("source", "event");
        p.put("eventId", d.getHeader().getEventId());
        p.put("catalogedAt", ts(Instant.ofEpochMilli(clock.millis())));
        jdbc.sql(UPSERT).params(p).update();
    }

    /** Records a complete dump found in the repository (rebuild). */
    public void record(Manifest m, String manifestSha256) {
        Map<String, Object> p = new HashMap<>();
        p.put("dumpId", m.dumpId());
        p.put("dumpJobId", m.dumpJobId());
        p.put("serverId", m.serverId());
        p.put("databaseName", m.databaseName());
        p.put("schemaName", m.schemaName());
        p.put("dumpType", m.dumpType() == null ? null : m.dumpType().name());
        p.put("outcome", "SUCCEEDED");
        p.put("trigger", m.trigger() == null ? null : m.trigger().name());
        p.put("scheduledAt", ts(m.scheduledAt()));
        p.put("startedAt", ts(m.startedAt()));
        p.put("finishedAt", ts(m.finishedAt()));
        p.put("location", m.dumpId());
        p.put("manifestSha256", manifestSha256);
        p.put("fileCount", m.files().size());
        p.put("sizeBytes", m.totalBytes());
        p.put("storedBytes", m.storedBytes());
        p.put("serverVersion", m.serverVersion());
        p.put("pgDumpVersion", m.pgDumpVersion());
        p.put("databaseSizeBytes", m.database() == null ? null : m.database().sizeBytes());
        p.put("verification", m.verified() ? "VERIFIED" : "NOT_VERIFIED");
        p.put("pinned", m.pinned());
        p.put("failureReason", null);
        p.put("failureCode", null);
        p.put("failureExitCode", null);
        p.put("failureStderr", null);
        p.put("failureRetriable", null);
        p.put("workerId", m.workerId());
        p.put("source", "rebuild");
        p.put("eventId", null);
        p.put("catalogedAt", ts(Instant.ofEpochMilli(clock.millis())));
        jdbc.sql(UPSERT).params(p).update();
    }

    public Optional<CatalogEntry> find(String dumpId) {
        return jdbc.sql("SELECT * FROM dumps WHERE dump_id = :id").param("id", dumpId).query(MAPPER).optional();
    }

    /** The id of the latest SUCCEEDED, verified dump of a dump job (what a restore job restores when not told). */
    public Optional<String> latestVerified(String dumpJobId) {
        return jdbc.sql("""
                SELECT dump_id FROM dumps
                WHERE dump_job_id = :job AND outcome = 'SUCCEEDED' AND verification = 'VERIFIED'
                ORDER BY scheduled_at DESC, dump_id DESC LIMIT 1""").param("job", dumpJobId).query(String.class).optional();
    }

    public Page<CatalogEntry> list(DumpFilter filter, int page, int size) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        condition(where, params, "server_id = :serverId", "serverId", filter.serverId());
        condition(where, params, "database_name = :databaseName", "databaseName", filter.databaseName());
        condition(where, params, "dump_job_id = :dumpJobId", "dumpJobId", filter.dumpJobId());
        condition(where, params, "outcome = :outcome", "outcome", filter.outcome());
        condition(where, params, "scheduled_at >= :from", "from", filter.from() == null ? null : ts(filter.from()));
        condition(where, params, "scheduled_at < :to", "to", filter.to() == null ? null : ts(filter.to()));
        String clause = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        long total = jdbc.sql("SELECT count(*) FROM dumps" + clause).params(params).query(Long.class).single();
        params.put("limit", size);
        params.put("offset", (long) page * size);
        List<CatalogEntry> items = jdbc.sql("SELECT * FROM dumps" + clause
                        + " ORDER BY scheduled_at DESC, dump_id LIMIT :limit OFFSET :offset")
                .params(params).query(MAPPER).list();
        return new Page<>(items, page, size, total);
    }

    /** Marks a dump as pinned (kept whatever the retention) or not; false when the dump is not in the catalog. */
    public boolean pin(String dumpId, boolean pinned) {
        return jdbc.sql("UPDATE dumps SET pinned = :pinned WHERE dump_id = :id").param("pinned", pinned).param("id", dumpId)
                .update() == 1;
    }

    /** Marks a dump VERIFICATION_FAILED with what a repository check found; false when it is not in the catalog. */
    public boolean markDamaged(String dumpId, String error) {
        return jdbc.sql("UPDATE dumps SET verification = 'VERIFICATION_FAILED', verification_error = :error WHERE dump_id = :id")
                .param("error", error).param("id", dumpId).update() == 1;
    }

    /** Marks a dump an earlier check found damaged VERIFIED again (a later check read every chunk of it whole). */
    public void markRepaired(String dumpId) {
        jdbc.sql("UPDATE dumps SET verification = 'VERIFIED', verification_error = NULL WHERE dump_id = :id")
                .param("id", dumpId).update();
    }

    /** The dumps a repository check marked damaged. */
    public List<CatalogEntry> damaged() {
        return jdbc.sql("SELECT * FROM dumps WHERE verification_error IS NOT NULL ORDER BY dump_id").query(MAPPER).list();
    }

    /** Records a repository check. */
    public void recordCheck(CheckSummary check) {
        jdbc.sql("INSERT INTO repository_checks (checked_at, requested_by, read_data_percent, dumps, chunks, chunks_read,"
                        + " problems, damaged_dumps) VALUES (:at, :by, :percent, :dumps, :chunks, :read, :problems, :damaged)")
                .param("at", ts(check.checkedAt())).param("by", check.requestedBy())
                .param("percent", check.readDataPercent()).param("dumps", check.dumps()).param("chunks", check.chunks())
                .param("read", check.chunksRead()).param("problems", check.problems())
                .param("damaged", check.damagedDumps()).update();
    }

    /** The latest repository check, if any ran. */
    public Optional<CheckSummary> lastCheck() {
        return jdbc.sql("SELECT * FROM repository_checks ORDER BY checked_at DESC, check_id DESC LIMIT 1")
                .query((rs, n) -> new CheckSummary(instant(rs, "checked_at"), rs.getString("requested_by"),
                        rs.getInt("read_data_percent"), rs.getInt("dumps"), rs.getLong("chunks"), rs.getLong("chunks_read"),
                        rs.getInt("problems"), rs.getInt("damaged_dumps")))
                .optional();
    }

    /**
     * One repository check as the catalog keeps it.
     *
     * @param checkedAt       when it ended
     * @param requestedBy     who asked (an API token's name) or {@code schedule}
     * @param readDataPercent the share of chunks read back
     * @param dumps           complete dumps checked
     * @param chunks          distinct chunks named
     * @param chunksRead      of those, read back and re-hashed
     * @param problems        missing or damaged pieces found (one per dump and file)
     * @param damagedDumps    dumps they affect
     */
    public record CheckSummary(Instant checkedAt, String requestedBy, int readDataPercent, int dumps, long chunks,
            long chunksRead, int problems, int damagedDumps) {}

    public int deleteAll() {
        return jdbc.sql("DELETE FROM dumps").update();
    }

    private static void condition(List<String> where, Map<String, Object> params, String sql, String name, Object value) {
        if (value != null) {
            where.add(sql);
            params.put(name, value);
        }
    }

    static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static final RowMapper<CatalogEntry> MAPPER = (rs, row) -> new CatalogEntry(
            rs.getString("dump_id"), rs.getString("dump_job_id"), rs.getString("server_id"), rs.getString("database_name"),
            rs.getString("schema_name"), rs.getString("dump_type"), rs.getString("outcome"), rs.getString("trigger"),
            instant(rs, "scheduled_at"), instant(rs, "started_at"), instant(rs, "finished_at"), rs.getString("location"),
            rs.getString("manifest_sha256"), rs.getInt("file_count"), rs.getLong("size_bytes"), rs.getLong("stored_bytes"),
            rs.getString("server_version"), rs.getString("pg_dump_version"), rs.getString("verification"),
            rs.getString("verification_error"), rs.getBoolean("pinned"), rs.getString("retention_state"),
            rs.getString("retention_rule"),
            rs.getString("failure_reason") == null ? null : new CatalogEntry.Failure(rs.getString("failure_reason"),
                    rs.getString("failure_code"), (Integer) rs.getObject("failure_exit_code"),
                    rs.getString("failure_stderr"), (Boolean) rs.getObject("failure_retriable")),
            rs.getString("worker_id"), rs.getString("source"), instant(rs, "cataloged_at"), List.of());

    /** Successful dumps not deleted, their logical bytes and their stored bytes. */
    public record Totals(long dumps, long logicalBytes, long storedBytes) {}

    public Totals totals() {
        return jdbc.sql("SELECT count(*), coalesce(sum(size_bytes), 0), coalesce(sum(stored_bytes), 0) FROM dumps"
                        + " WHERE outcome = 'SUCCEEDED' AND retention_state IS DISTINCT FROM 'DELETED'")
                .query((rs, n) -> new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3))).single();
    }
}
