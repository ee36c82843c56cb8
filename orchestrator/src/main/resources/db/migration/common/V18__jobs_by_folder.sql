-- The job listing of a caller who reads only some folders (GET /api/v1/jobs for a folder's
-- operator) filters on folder_id and pages newest first on (created_at, id): with this index a
-- folder's page is a range of it, instead of a walk of jobs_created past every other folder's
-- jobs. folder_id, created_at and id never change, so updates of a job's state stay HOT.
CREATE INDEX jobs_folder_created ON jobs (folder_id, created_at, id);
