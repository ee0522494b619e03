-- Retention: null while a dump is kept; EXPIRED once retention let it go (its EXPIRED event is out), DELETED
-- once the dump-worker removed it from the repository. The rule is why it expired.
ALTER TABLE dumps ADD COLUMN retention_state text;
ALTER TABLE dumps ADD COLUMN retention_rule text;
ALTER TABLE dumps ADD COLUMN expired_at timestamptz;
ALTER TABLE dumps ADD COLUMN deleted_at timestamptz;
CREATE INDEX dumps_kept_by_job ON dumps (dump_job_id, scheduled_at DESC) WHERE retention_state IS NULL;
-- Dump jobs that have dumps in the catalog but no configuration any more, and since when (the deleted-job rule).
CREATE TABLE missing_dump_jobs (
    dump_job_id   text PRIMARY KEY,
    missing_since timestamptz NOT NULL
);
