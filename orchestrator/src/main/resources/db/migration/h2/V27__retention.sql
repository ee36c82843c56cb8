-- Retention (docs/operations.md, "Retention"): finished jobs, schedule fires and audit events
-- past their configured ages are purged in small batches by one instance at a time.

-- Leases of work that one instance at a time does, one row per kind of work. An instance takes
-- the row (holder, expires_at by the database clock) when it is free or expired, and every batch
-- renews it in the batch's own transaction, so the row lock fences batches: a second instance
-- never purges while the first one's batch runs, and a stopped holder's lease simply expires.
-- A row and not an advisory lock: advisory locks are session state, which pgbouncer in
-- transaction mode does not keep.
CREATE TABLE maintenance_leases (
    name       VARCHAR(50)  NOT NULL PRIMARY KEY,
    holder     VARCHAR(100),
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO maintenance_leases (name, holder, expires_at) VALUES ('retention', NULL, CURRENT_TIMESTAMP);

-- The purge (and export-jobs) walk finished jobs oldest first by (finished_at, id), a range of
-- this index that ends at the cutoff; a job enters it when it finishes. PostgreSQL has the partial
-- form of it (../postgresql, the same version).
CREATE INDEX jobs_retention ON jobs (finished_at, id);
-- Schedule fires oldest first.
CREATE INDEX schedule_fires_fired ON schedule_fires (fired_at);
