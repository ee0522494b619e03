-- Notifications waiting for, or done with, delivery: one row per notification and destination. The key makes a
-- redelivered event notify once; a row stays PENDING until delivered (SENT) or given up (FAILED) after its attempts.
CREATE TABLE notifications (
    id              bigserial PRIMARY KEY,
    notification_key text NOT NULL,
    destination     text NOT NULL,
    kind            text NOT NULL,
    payload         text NOT NULL,
    state           text NOT NULL DEFAULT 'PENDING',
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    UNIQUE (notification_key, destination)
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE state = 'PENDING';
