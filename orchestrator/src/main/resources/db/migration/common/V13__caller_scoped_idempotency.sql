-- Idempotency keys belong to their caller. A job's key is unique per scope (who submitted it:
-- api_key:<key id>, webhook:<webhook id>; the same text as created_by) and workflow, so another
-- caller's key, or an operator's key that looks like a webhook's, never returns someone else's
-- job. request_hash is the SHA-256 of the request that first used the key: the same key with
-- another request is refused (409 idempotency_conflict), not answered with the first job. Jobs
-- stored before this version keep their keys under their creator and have no hash (a repeat of
-- them is answered as before).
ALTER TABLE jobs ADD COLUMN idempotency_scope VARCHAR(400);
ALTER TABLE jobs ADD COLUMN request_hash CHAR(64);
UPDATE jobs SET idempotency_scope = created_by WHERE idempotency_key IS NOT NULL;
ALTER TABLE jobs DROP CONSTRAINT jobs_idempotency;
ALTER TABLE jobs ADD CONSTRAINT jobs_idempotency UNIQUE (idempotency_scope, workflow_id, idempotency_key);

-- A batch submitted with an Idempotency-Key: the jobs it stored (a JSON array of ids, in the
-- order sent), so the same key again returns them. Keys of batches and of single submits are
-- apart: a batch spans workflows, so its key is unique per caller alone.
CREATE TABLE job_batches (
    scope           VARCHAR(400) NOT NULL,
    idempotency_key VARCHAR(200) NOT NULL,
    request_hash    CHAR(64)     NOT NULL,
    job_ids         TEXT         NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);

-- Whether a key is bound to a robot id is asked on every message of a fleet key's robot
-- (RobotAccess: a bound key takes the id from fleet keys).
CREATE INDEX api_keys_robot ON api_keys (robot_id);
