-- The claim order (JobClaims: highest priority first, then oldest, then id) on pending jobs only.
-- The claim reads this index in order and stops after the few rows it takes, however many
-- finished jobs (and dead row versions of them) the table holds; the older jobs_claim index
-- (state, priority, created_at) cannot serve "priority DESC, created_at" in one scan.
-- The same version in ../h2 creates the H2 form (H2 has no partial indexes).
CREATE INDEX jobs_pending_claim ON jobs (priority DESC, created_at, id) WHERE state = 'pending';
