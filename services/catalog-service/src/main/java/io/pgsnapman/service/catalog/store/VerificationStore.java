package io.pgsnapman.service.catalog.store;

import io.pgsnapman.service.catalog.api.VerificationEntry;
import io.pgsnapman.service.catalog.verification.VerificationState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The verifications table: each test restore from planned to its end. A state changes only forward (an ended
 * verification is never changed again), so a redelivered answer or a late one after a timeout changes nothing.
 */
@Repository
public class VerificationStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<VerificationEntry.TableDifference>> DIFFERENCES = new TypeReference<>() {};

    private static final RowMapper<VerificationEntry> MAPPER = (rs, n) -> new VerificationEntry(
            rs.getString("verification_id"), rs.getString("dump_id"), rs.getString("dump_job_id"),
            VerificationState.valueOf(rs.getString("state")), rs.getString("requested_by"), instant(rs, "planned_at"),
            instant(rs, "started_at"), instant(rs, "finished_at"), rs.getString("server_id"), rs.getString("server_version"),
            rs.getString("scratch_database"), rs.getObject("needs_bytes", Long.class), rs.getInt("tables_checked"),
            JSON.readValue(rs.getString("differences"), DIFFERENCES), rs.getString("reason"));

    /** What planning and placing a dump's test restore needs to know of it. */
    public record DumpFacts(String dumpId, String dumpJobId, String outcome, String verification, String serverVersion,
            long sizeBytes, Long databaseSizeBytes, String retentionState, Instant scheduledAt) {

        /** Bytes its scratch database may take: the source database's size, or the dump's when that is unknown. */
        public long needsBytes() {
            return databaseSizeBytes != null ? databaseSizeBytes : sizeBytes;
        }
    }

    private final JdbcClient jdbc;

    public VerificationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Plans a test restore; false when that id exists. */
    public boolean plan(String id, String dumpId, String dumpJobId, String requestedBy, Instant at) {
        return jdbc.sql("""
                INSERT INTO verifications (verification_id, dump_id, dump_job_id, state, requested_by, planned_at)
                VALUES (:id, :dumpId, :jobId, 'PLANNED', :by, :at) ON CONFLICT DO NOTHING""")
                .param("id", id).param("dumpId", dumpId).param("jobId", dumpJobId).param("by", requestedBy)
                .param("at", Timestamp.from(at)).update() == 1;
    }

    /** Whether the dump ever had a verification planned by its policy. */
    public boolean plannedByPolicy(String dumpId) {
        return jdbc.sql("SELECT count(*) FROM verifications WHERE dump_id = :id AND requested_by = 'policy'")
                .param("id", dumpId).query(Long.class).single() > 0;
    }

    /** When the job's latest test restore that was not skipped was planned. */
    public Optional<Instant> lastPlanned(String dumpJobId) {
        return jdbc.sql("SELECT max(planned_at) FROM verifications WHERE dump_job_id = :id AND state <> 'SKIPPED'")
                .param("id", dumpJobId).query((rs, n) -> instant(rs, 1)).optional();
    }

    /** Which successful dump of its job a dump is, 1 for the first. */
    public long ordinal(String dumpJobId, Instant scheduledAt) {
        return jdbc.sql("SELECT count(*) FROM dumps WHERE dump_job_id = :id AND outcome = 'SUCCEEDED'"
                + " AND scheduled_at <= :at").param("id", dumpJobId).param("at", Timestamp.from(scheduledAt))
                .query(Long.class).single();
    }

    public Optional<DumpFacts> facts(String dumpId) {
        return jdbc.sql("""
                SELECT dump_id, dump_job_id, outcome, verification, server_version, size_bytes, database_size_bytes,
                       retention_state, scheduled_at FROM dumps WHERE dump_id = :id""")
                .param("id", dumpId)
                .query((rs, n) -> new DumpFacts(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), rs.getObject(7, Long.class), rs.getString(8), instant(rs, 9)))
                .optional();
    }

    /** Verifications in one state, oldest first. */
    public List<VerificationEntry> inState(VerificationState state) {
        return jdbc.sql("SELECT * FROM verifications WHERE state = :state ORDER BY planned_at, verification_id")
                .param("state", state.name()).query(MAPPER).list();
    }

    public Optional<VerificationEntry> find(String id) {
        return jdbc.sql("SELECT * FROM verifications WHERE verification_id = :id").param("id", id).query(MAPPER).optional();
    }

    /** A dump's or a job's verifications, newest first. */
    public List<VerificationEntry> list(String dumpId, String dumpJobId, VerificationState state, int limit) {
        return jdbc.sql("""
                SELECT * FROM verifications
                WHERE (CAST(:dumpId AS text) IS NULL OR dump_id = :dumpId)
                  AND (CAST(:jobId AS text) IS NULL OR dump_job_id = :jobId)
                  AND (CAST(:state AS text) IS NULL OR state = :state)
                ORDER BY planned_at DESC, verification_id LIMIT :limit""")
                .param("dumpId", dumpId).param("jobId", dumpJobId).param("state", state == null ? null : state.name())
                .param("limit", limit).query(MAPPER).list();
    }

    /** Its request is out: running on that server, counted for those bytes. */
    public void started(String id, String serverId, String scratchDatabase, long needsBytes, Instant at) {
        jdbc.sql("""
                UPDATE verifications SET state = 'RUNNING', server_id = :server, scratch_database = :scratch,
                    needs_bytes = :bytes, started_at = :at, reason = NULL
                WHERE verification_id = :id AND state = 'PLANNED'""")
                .param("server", serverId).param("scratch", scratchDatabase).param("bytes", needsBytes)
                .param("at", Timestamp.from(at)).param("id", id).update();
    }

    /** Why a planned one still waits (shown while it does). */
    public void waiting(String id, String why) {
        jdbc.sql("UPDATE verifications SET reason = :why WHERE verification_id = :id AND state = 'PLANNED'")
                .param("why", why).param("id", id).update();
    }

    /** Ends it; false when it had ended before (nothing changes then). */
    public boolean finish(String id, VerificationState state, String reason, String serverVersion, int tablesChecked,
            List<VerificationEntry.TableDifference> differences, Instant at) {
        return jdbc.sql("""
                UPDATE verifications SET state = :state, reason = :reason,
                    server_version = coalesce(:version, server_version), tables_checked = :tables,
                    differences = CAST(:differences AS jsonb), finished_at = :at
                WHERE verification_id = :id AND state IN ('PLANNED', 'RUNNING')""")
                .param("state", state.name()).param("reason", reason).param("version", serverVersion)
                .param("tables", tablesChecked).param("differences", JSON.writeValueAsString(differences))
                .param("at", Timestamp.from(at)).param("id", id).update() == 1;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
