-- Every restore outcome (SUCCEEDED / FAILED / REJECTED), keyed by the caller's request id.
CREATE TABLE restores (
    restore_request_id           text PRIMARY KEY,
    dump_id                      text,
    target_server_id             text NOT NULL,
    target_database_name         text NOT NULL,
    outcome                      text NOT NULL,
    trigger                      text NOT NULL,
    restore_job_id               text,
    started_at                   timestamptz,
    finished_at                  timestamptz NOT NULL,
    restored_bytes               bigint NOT NULL DEFAULT 0,
    previous_database_renamed_to text,
    row_counts_match             boolean,
    failure_reason               text,
    failure_code                 text,
    failure_field                text,
    worker_id                    text,
    cataloged_at                 timestamptz NOT NULL
);
CREATE INDEX restores_by_dump ON restores (dump_id);
CREATE INDEX restores_by_target ON restores (target_server_id, finished_at DESC);
