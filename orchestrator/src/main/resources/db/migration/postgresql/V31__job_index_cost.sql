-- Fewer index entries per job (docs/performance.md, "Issue 14's cost per job"). A job's claim,
-- start and completion each change an indexed column (state, lease, finish), so none is a HOT
-- update: like the insert, each adds an entry to every index of jobs (to a partial one only when
-- the row is inside it), four entries per job for a full index. V23 and V24 took the entries
-- per job from 29 to 48 (the bench lost 18 % of its jobs/s); this version takes them back to 30.
-- The same version in ../h2 drops the two redundant indexes (H2 has no partial indexes).

-- Redundant: jobs_finished (V24) is (state, finished_at, folder_id) over the finished jobs, and
-- every read of state with a finish time is of finished jobs.
DROP INDEX jobs_finished_by_state;
-- Redundant: the claim reads jobs_pending_claim (V11); a read by state alone is a range of
-- jobs_state_created (V23), of jobs_leases for the leased states.
DROP INDEX jobs_claim;

-- Only jobs that failed carry a signature; the listing filtered by one, the failure groups
-- and the signing of the '?' rows all name a signature, so they read the partial index.
DROP INDEX jobs_error_signature;
CREATE INDEX jobs_error_signature ON jobs (error_signature, created_at, id) WHERE error_signature IS NOT NULL;

-- The reaper's leases and a robot's held jobs: only leased jobs have one. A job enters at its
-- claim and leaves when it ends, so its insert and completion write no entry here.
DROP INDEX jobs_leases;
CREATE INDEX jobs_leases ON jobs (state, lease_expires_at) WHERE state IN ('assigned', 'running');

-- The idempotency key is unique per scope and workflow among the jobs that have one; NULL keys
-- never conflicted, so the partial unique index refuses exactly what the constraint refused
-- (the same name, so the same violation), and a job submitted without a key writes no entry.
ALTER TABLE jobs DROP CONSTRAINT jobs_idempotency;
CREATE UNIQUE INDEX jobs_idempotency ON jobs (idempotency_scope, workflow_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
