-- When a stop (cancel or timeout) of a leased job was asked, by the database clock: a robot that
-- does not confirm within the grace period does not keep the job; the sweep ends it.
ALTER TABLE jobs ADD COLUMN stop_requested_at TIMESTAMP WITH TIME ZONE;
