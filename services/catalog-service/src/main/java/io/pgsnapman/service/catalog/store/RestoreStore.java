package io.pgsnapman.service.catalog.store;

import io.pgsnapman.events.restore.RestoreCompleted;
import io.pgsnapman.service.catalog.api.Page;
import io.pgsnapman.service.catalog.api.RestoreEntry;
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

/** The restores table: one row per request id, the first outcome kept (a repeated answer is the same). */
@Repository
public class RestoreStore {

    private final JdbcClient jdbc;
    private final Clock clock;

    public RestoreStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void record(RestoreCompleted r) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", r.getRestoreRequestId());
        p.put("dumpId", r.getDumpId());
        p.put("server", r.getTargetServerId());
        p.put("database", r.getTargetDatabaseName());
        p.put("outcome", r.getOutcome().name());
        p.put("trigger", r.getTrigger().name());
        p.put("job", r.getRestoreJobId());
        p.put("started", r.getStartedAt() == null ? null : Timestamp.from(r.getStartedAt()));
        p.put("finished", Timestamp.from(r.getFinishedAt()));
        p.put("bytes", r.getRestoredBytes());
        p.put("renamed", r.getPreviousDatabaseRenamedTo());
        p.put("rows", r.getRowCountsMatch());
        p.put("reason", r.getFailure() == null ? null : r.getFailure().getReason());
        p.put("code", r.getFailure() == null ? null : r.getFailure().getCode());
        p.put("field", r.getFailure() == null ? null : r.getFailure().getField());
        p.put("worker", r.getWorkerId());
        p.put("attempts", r.getAttempts());
        p.put("cataloged", Timestamp.from(Instant.ofEpochMilli(clock.millis())));
        jdbc.sql("""
                INSERT INTO restores (restore_request_id, dump_id, target_server_id, target_database_name, outcome, trigger,
                    restore_job_id, started_at, finished_at, restored_bytes, previous_database_renamed_to, row_counts_match,
                    failure_reason, failure_code, failure_field, worker_id, attempts, cataloged_at)
                VALUES (:id, :dumpId, :server, :database, :outcome, :trigger, :job, :started, :finished, :bytes, :renamed,
                    :rows, :reason, :code, :field, :worker, :attempts, :cataloged)
                ON CONFLICT (restore_request_id) DO NOTHING""").params(p).update();
    }

    public Optional<RestoreEntry> find(String id) {
        return jdbc.sql("SELECT * FROM restores WHERE restore_request_id = :id").param("id", id).query(MAPPER).optional();
    }

    public Page<RestoreEntry> list(String targetServerId, String dumpId, String outcome, int page, int size) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (targetServerId != null) {
            where.add("target_server_id = :server");
            params.put("server", targetServerId);
        }
        if (dumpId != null) {
            where.add("dump_id = :dump");
            params.put("dump", dumpId);
        }
        if (outcome != null) {
            where.add("outcome = :outcome");
            params.put("outcome", outcome);
        }
        String clause = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        long total = jdbc.sql("SELECT count(*) FROM restores" + clause).params(params).query(Long.class).single();
        params.put("limit", size);
        params.put("offset", (long) page * size);
        List<RestoreEntry> items = jdbc.sql("SELECT * FROM restores" + clause
                        + " ORDER BY finished_at DESC, restore_request_id LIMIT :limit OFFSET :offset")
                .params(params).query(MAPPER).list();
        return new Page<>(items, page, size, total);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static final RowMapper<RestoreEntry> MAPPER = (rs, row) -> new RestoreEntry(
            rs.getString("restore_request_id"), rs.getString("dump_id"), rs.getString("target_server_id"),
            rs.getString("target_database_name"), rs.getString("outcome"), rs.getString("trigger"),
            rs.getString("restore_job_id"), instant(rs, "started_at"), instant(rs, "finished_at"),
            rs.getLong("restored_bytes"), rs.getString("previous_database_renamed_to"),
            (Boolean) rs.getObject("row_counts_match"), rs.getString("failure_reason"), rs.getString("failure_code"),
            rs.getString("failure_field"), rs.getString("worker_id"), rs.getInt("attempts"), instant(rs, "cataloged_at"));
}
