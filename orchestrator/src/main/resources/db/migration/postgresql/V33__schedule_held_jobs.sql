-- Schedule fires over scheduler.max_concurrent_schedules (issue 16): with over_limit_policy
-- queue (the default) the fire inserts its job as every fire does and marks it held_by
-- 'max_concurrent_schedules'; it stays pending, no robot may claim it, and a scheduler pass
-- releases held jobs in queue order (priority, then age) as the bound allows (store/ScheduleHolds).
-- NULL: the job is not held. The same version in ../h2 has the H2 form (no partial indexes).
ALTER TABLE jobs ADD COLUMN held_by VARCHAR(40);

-- The claim reads only claimable jobs, and a held job is not: it leaves the claim index, so a
-- claim does not step over thousands of held jobs ahead of the ones it may take.
DROP INDEX jobs_pending_claim;
CREATE INDEX jobs_pending_claim ON jobs (priority DESC, created_at, id) WHERE state = 'pending' AND held_by IS NULL;

-- The live schedule-started jobs: the bound counts the active ones (held_by IS NULL) and the
-- release reads the held ones in queue order. Only schedule jobs enter it; a job submitted
-- through the API writes no entry here.
CREATE INDEX jobs_schedule_live ON jobs (held_by, priority DESC, created_at, id)
    WHERE source = 'schedule' AND state IN ('pending', 'assigned', 'running');
