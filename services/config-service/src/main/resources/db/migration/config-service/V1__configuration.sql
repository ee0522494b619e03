-- Configuration of PgSnapMan: servers, dump jobs, restore jobs, and the outbox that publishes every change.
-- Specs are JSON; the columns that reference other items are real columns, so the database enforces them.

CREATE TABLE servers (
    id         text PRIMARY KEY,
    name       text NOT NULL UNIQUE,
    revision   bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    spec       jsonb NOT NULL
);

CREATE TABLE dump_jobs (
    id            text PRIMARY KEY,
    name          text NOT NULL UNIQUE,
    server_id     text NOT NULL REFERENCES servers (id),
    database_name text,
    auto_created  boolean NOT NULL DEFAULT false,
    revision      bigint NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    spec          jsonb NOT NULL
);
CREATE INDEX dump_jobs_server ON dump_jobs (server_id, database_name);

CREATE TABLE restore_jobs (
    id                 text PRIMARY KEY,
    name               text NOT NULL UNIQUE,
    source_dump_job_id text NOT NULL REFERENCES dump_jobs (id),
    target_server_id   text NOT NULL REFERENCES servers (id),
    revision           bigint NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    spec               jsonb NOT NULL
);

-- Transactional outbox: a row is written in the same transaction as the change it announces, and deleted
-- once Kafka acknowledged it. payload NULL is a tombstone.
CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    topic       text NOT NULL,
    record_key  text NOT NULL,
    value_class text NOT NULL,
    payload     bytea,
    created_at  timestamptz NOT NULL DEFAULT now()
);
