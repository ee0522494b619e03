-- The catalog: one row per dump, from its DumpCompleted event or rebuilt from its manifest.
CREATE TABLE dumps (
    dump_id           text PRIMARY KEY,
    dump_job_id       text NOT NULL,
    server_id         text NOT NULL,
    database_name     text,
    schema_name       text,
    dump_type         text NOT NULL,
    outcome           text NOT NULL,
    trigger           text NOT NULL,
    scheduled_at      timestamptz NOT NULL,
    started_at        timestamptz,
    finished_at       timestamptz,
    location          text,
    manifest_sha256   text,
    file_count        integer NOT NULL DEFAULT 0,
    size_bytes        bigint NOT NULL DEFAULT 0,
    stored_bytes      bigint NOT NULL DEFAULT 0,
    server_version    text,
    pg_dump_version   text,
    verification      text NOT NULL,
    pinned            boolean NOT NULL DEFAULT false,
    failure_reason    text,
    failure_code      text,
    failure_exit_code integer,
    failure_stderr    text,
    failure_retriable boolean,
    worker_id         text,
    source            text NOT NULL,
    last_event_id     text,
    cataloged_at      timestamptz NOT NULL
);
CREATE INDEX dumps_by_server ON dumps (server_id, scheduled_at DESC);
CREATE INDEX dumps_by_job ON dumps (dump_job_id, scheduled_at DESC);
CREATE INDEX dumps_by_database ON dumps (database_name, scheduled_at DESC);
CREATE INDEX dumps_by_time ON dumps (scheduled_at DESC);
