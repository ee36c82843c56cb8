-- The claim order (JobClaims: highest priority first, then oldest, then id) after the state, so
-- the claim's "state = 'pending' ORDER BY priority DESC, created_at, id LIMIT n" reads this index
-- in order and stops after n rows; the older jobs_claim index (state, priority, created_at) is in
-- ascending priority and made H2 sort every pending job for each claim. PostgreSQL has the
-- partial form of it (../postgresql, the same version).
CREATE INDEX jobs_pending_claim ON jobs (state, priority DESC, created_at, id);
