-- How many attempts a restore took (a FAILED attempt with a retriable failure is tried again).
ALTER TABLE restores ADD COLUMN attempts integer NOT NULL DEFAULT 1;
