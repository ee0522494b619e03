-- The source database's size when it was dumped (pg_database_size): what a test restore needs on disk at most.
ALTER TABLE dumps ADD COLUMN database_size_bytes bigint;
-- Every verification by test restore: planned from the job's policy (or asked for), running on a verification
-- server, and how it ended. The id is the VERIFY restore request's.
CREATE TABLE verifications (
    verification_id  text PRIMARY KEY,
    dump_id          text NOT NULL,
    dump_job_id      text NOT NULL,
    state            text NOT NULL,
    requested_by     text NOT NULL,
    planned_at       timestamptz NOT NULL,
    started_at       timestamptz,
    finished_at      timestamptz,
    server_id        text,
    server_version   text,
    scratch_database text,
    needs_bytes      bigint,
    tables_checked   integer NOT NULL DEFAULT 0,
    differences      jsonb NOT NULL DEFAULT '[]',
    reason           text
);
CREATE INDEX verifications_by_dump ON verifications (dump_id, planned_at DESC);
CREATE INDEX verifications_by_job ON verifications (dump_job_id, planned_at DESC);
CREATE INDEX verifications_open ON verifications (planned_at) WHERE state IN ('PLANNED', 'RUNNING');
