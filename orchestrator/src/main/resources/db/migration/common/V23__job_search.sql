-- Searching, grouping and acting on jobs in bulk (GET /api/v1/jobs with q, tag and
-- error_signature; GET /api/v1/jobs/failure-groups; POST /api/v1/jobs/bulk).

-- The signature of the job's error (domain ErrorSignature: its error type and its message with
-- numbers, ids and quoted values replaced), written with the error when the job fails (an attempt
-- or for good) or times out; like the error, it stays while the job runs again after a retry.
-- '?' marks a failure from before this version: the first read that groups or filters by
-- signature signs those (store FailureSignatures), so nothing computes signatures per request.
ALTER TABLE jobs ADD COLUMN error_signature VARCHAR(40);
UPDATE jobs SET error_signature = '?' WHERE state IN ('failed', 'timed_out');
-- The listing filtered by signature, newest first (and the '?' rows to sign).
CREATE INDEX jobs_error_signature ON jobs (error_signature, created_at, id);
-- Failure groups: the failed and timed-out jobs of a time window.
CREATE INDEX jobs_finished_by_state ON jobs (state, finished_at);
-- The listing filtered by state or by workflow, newest first, as a range of an index.
CREATE INDEX jobs_state_created ON jobs (state, created_at, id);
CREATE INDEX jobs_workflow_created ON jobs (workflow_id, created_at, id);

-- A job's tags one per row (jobs.tags keeps the JSON array the API shows), so the tag filter is an
-- index lookup. Written with the job (JobStore); a job's tags never change.
CREATE TABLE job_tags (
    job_id VARCHAR(40)  NOT NULL,
    tag    VARCHAR(200) NOT NULL,
    PRIMARY KEY (job_id, tag),
    CONSTRAINT job_tags_job FOREIGN KEY (job_id) REFERENCES jobs (id) ON DELETE CASCADE
);
CREATE INDEX job_tags_by_tag ON job_tags (tag, job_id);

-- A bulk retry or cancel of the jobs a filter matched when it started (service JobBatches): its
-- progress, written after each chunk by the instance that runs it. updated_at is that
-- instance's pulse: a running batch whose updated_at is older than the batch lease was left
-- by an instance that stopped, and the next read marks it failed. (status is the API's state:
-- a column named state is a job's, which only JobTransitions writes.)
CREATE TABLE job_bulk_actions (
    id           VARCHAR(40)  NOT NULL PRIMARY KEY,
    action       VARCHAR(20)  NOT NULL,
    filter       TEXT         NOT NULL,
    status       VARCHAR(20)  NOT NULL,
    total        INTEGER      NOT NULL,
    done         INTEGER      NOT NULL,
    skipped      INTEGER      NOT NULL,
    failed       INTEGER      NOT NULL,
    error        TEXT,
    creator      VARCHAR(300) NOT NULL,
    created_by   VARCHAR(400) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT job_bulk_actions_action CHECK (action IN ('retry', 'cancel')),
    CONSTRAINT job_bulk_actions_status CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled'))
);
CREATE INDEX job_bulk_actions_created ON job_bulk_actions (created_at, id);
CREATE INDEX job_bulk_actions_running ON job_bulk_actions (status, updated_at);

-- The tags of the jobs made before this version, read out of the JSON arrays Jackson wrote, each
-- string in turn, \" and \\ unescaped: one statement for both databases (H2 has no function
-- that lists a JSON array; PostgreSQL has REGEXP_SUBSTR since 15, the oldest we support).
INSERT INTO job_tags (job_id, tag)
WITH RECURSIVE t(id, n, tag) AS (
    SELECT id, 1, REGEXP_SUBSTR(tags, '"((?:[^"\\]|\\.)*)"', 1, 1, '', 1) FROM jobs
    UNION ALL
    SELECT t.id, t.n + 1, REGEXP_SUBSTR(j.tags, '"((?:[^"\\]|\\.)*)"', 1, t.n + 1, '', 1)
    FROM t JOIN jobs j ON j.id = t.id WHERE t.tag IS NOT NULL
)
SELECT DISTINCT id, REPLACE(REPLACE(tag, '\"', '"'), '\\', '\') FROM t WHERE tag IS NOT NULL;
