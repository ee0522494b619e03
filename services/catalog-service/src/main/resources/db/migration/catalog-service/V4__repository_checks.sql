-- What the last repository check found wrong with a dump (a missing or damaged chunk or file); null when nothing.
ALTER TABLE dumps ADD COLUMN verification_error text;
-- Every repository check: when, how much it read, what it found.
CREATE TABLE repository_checks (
    check_id          bigserial PRIMARY KEY,
    checked_at        timestamptz NOT NULL,
    requested_by      text NOT NULL,
    read_data_percent integer NOT NULL,
    dumps             integer NOT NULL,
    chunks            bigint NOT NULL,
    chunks_read       bigint NOT NULL,
    problems          integer NOT NULL,
    damaged_dumps     integer NOT NULL
);
