-- Each instance's proof that it can write: its lease sweep (every second) first writes its row
-- here, in a transaction that needs the same locks as heartbeats and lease renewals. A gap in
-- the pulses means nobody could record heartbeats meanwhile, and that time must not count
-- against robots (docs/websocket-api.md, "When the database was away"). An instance deletes its
-- row when it stops; the row of one that died goes stale and is deleted by the others.
CREATE TABLE instance_pulses (
    instance_id VARCHAR(100) NOT NULL PRIMARY KEY,
    pulse_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
