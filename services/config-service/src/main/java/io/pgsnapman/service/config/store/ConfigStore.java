package io.pgsnapman.service.config.store;

import io.pgsnapman.service.config.api.Resource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration database: one table per kind, each row an id, a unique name, the columns that carry
 * references (so the database enforces them), a revision, and the spec as JSON. Callers hold the
 * transaction.
 */
@Repository
public class ConfigStore {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    public ConfigStore(JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    public <S> List<Resource<S>> list(Kind<S> kind) {
        return jdbc.sql("SELECT id, revision, created_at, updated_at, spec FROM " + kind.table() + " ORDER BY name")
                .query(mapper(kind))
                .list();
    }

    public <S> Optional<Resource<S>> find(Kind<S> kind, String id) {
        return jdbc.sql("SELECT id, revision, created_at, updated_at, spec FROM " + kind.table() + " WHERE id = :id")
                .param("id", id)
                .query(mapper(kind))
                .optional();
    }

    /** Locks the row for the rest of the transaction (serialises concurrent updates of one item). */
    public <S> Optional<Resource<S>> findForUpdate(Kind<S> kind, String id) {
        return jdbc.sql("SELECT id, revision, created_at, updated_at, spec FROM " + kind.table()
                        + " WHERE id = :id FOR UPDATE")
                .param("id", id)
                .query(mapper(kind))
                .optional();
    }

    /** Whether another item of the kind has the name. */
    public boolean nameTaken(Kind<?> kind, String name, String exceptId) {
        return jdbc.sql("SELECT count(*) FROM " + kind.table() + " WHERE name = :name AND id <> :id")
                .param("name", name)
                .param("id", exceptId == null ? "" : exceptId)
                .query(Long.class)
                .single() > 0;
    }

    public boolean exists(Kind<?> kind, String id) {
        return jdbc.sql("SELECT count(*) FROM " + kind.table() + " WHERE id = :id").param("id", id).query(Long.class).single() > 0;
    }

    /**
     * Inserts or updates an item.
     *
     * @param references values of the kind's reference columns, by column name
     */
    public <S> Resource<S> save(Kind<S> kind, String id, String name, S spec, Map<String, Object> references,
            Optional<Resource<S>> previous) {
        Instant now = Instant.ofEpochMilli(clock.millis());
        long revision = previous.map(p -> p.revision() + 1).orElse(1L);
        Instant created = previous.map(Resource::createdAt).orElse(now);
        StringBuilder columns = new StringBuilder("id, name, revision, created_at, updated_at, spec");
        StringBuilder values = new StringBuilder(":id, :name, :revision, :created, :updated, CAST(:spec AS jsonb)");
        StringBuilder updates = new StringBuilder(
                "name = EXCLUDED.name, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at, spec = EXCLUDED.spec");
        for (String column : kind.referenceColumns()) {
            columns.append(", ").append(column);
            values.append(", :").append(column);
            updates.append(", ").append(column).append(" = EXCLUDED.").append(column);
        }
        JdbcClient.StatementSpec statement = jdbc.sql("INSERT INTO " + kind.table() + " (" + columns + ") VALUES ("
                        + values + ") ON CONFLICT (id) DO UPDATE SET " + updates)
                .param("id", id)
                .param("name", name)
                .param("revision", revision)
                .param("created", Timestamp.from(created))
                .param("updated", Timestamp.from(now))
                .param("spec", json.writeValueAsString(spec));
        for (String column : kind.referenceColumns()) {
            statement = statement.param(column, references.get(column));
        }
        statement.update();
        return new Resource<>(id, revision, created, now, spec);
    }

    public boolean delete(Kind<?> kind, String id) {
        return jdbc.sql("DELETE FROM " + kind.table() + " WHERE id = :id").param("id", id).update() > 0;
    }

    /** Ids of rows of {@code kind} whose {@code column} references {@code id}. */
    public List<String> referencing(Kind<?> kind, String column, String id) {
        if (!kind.referenceColumns().contains(column)) {
            throw new IllegalArgumentException(column + " is not a reference column of " + kind.table());
        }
        return jdbc.sql("SELECT id FROM " + kind.table() + " WHERE " + column + " = :id ORDER BY id")
                .param("id", id)
                .query(String.class)
                .list();
    }

    private <S> RowMapper<Resource<S>> mapper(Kind<S> kind) {
        return (ResultSet rs, int row) -> new Resource<>(
                rs.getString("id"),
                rs.getLong("revision"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                json.readValue(rs.getString("spec"), kind.specType()));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }
}
