-- Fewer index entries per job (docs/performance.md, "Issue 14's cost per job"); the same version
-- in ../postgresql also makes jobs_error_signature, jobs_leases and jobs_idempotency partial,
-- which H2 cannot.

-- Redundant: jobs_finished (V24) is (state, finished_at, folder_id).
DROP INDEX jobs_finished_by_state;
-- Redundant: jobs_pending_claim (V11) is (state, priority DESC, created_at, id), and a read by
-- state alone is a range of jobs_state_created (V23).
DROP INDEX jobs_claim;
