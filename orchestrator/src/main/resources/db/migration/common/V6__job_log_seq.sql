-- Robot log entries carry their position in the attempt (docs/websocket-api.md, log_batch), so
-- a batch sent again after a broken connection is stored once; and the node type that logged.
-- Rows written before this migration have no seq (NULLs never collide in the unique index).
ALTER TABLE job_logs ADD COLUMN seq BIGINT;
ALTER TABLE job_logs ADD COLUMN node_type VARCHAR(200);
CREATE UNIQUE INDEX job_logs_attempt_seq ON job_logs (job_id, attempt, seq);
