-- Schedule fires over scheduler.max_concurrent_schedules (issue 16): the job of a fire over the
-- bound is marked held_by 'max_concurrent_schedules' until a scheduler pass releases it
-- (store/ScheduleHolds). The same version in ../postgresql also takes held jobs out of the
-- partial claim index and indexes only schedule jobs, which H2 cannot: here an H2 claim steps
-- over the held jobs' entries of jobs_pending_claim (one embedded instance; see docs/schedules.md).
ALTER TABLE jobs ADD COLUMN held_by VARCHAR(40);

-- The bound's count (state IN active, held_by IS NULL) and the release's look-up (pending, held).
CREATE INDEX jobs_state_held ON jobs (state, held_by);
