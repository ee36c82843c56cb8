-- Triggers: cron schedules and webhooks of workflows (issue 6).
-- A schedule is due when enabled and next_fire_at <= now; an instance claims due rows with
-- FOR UPDATE SKIP LOCKED and, in one transaction, inserts each fire (unique per schedule and
-- scheduled time), its job, and the advance of next_fire_at: a fire happens exactly once.
CREATE TABLE schedules (
    id             VARCHAR(40)   NOT NULL PRIMARY KEY,
    name           VARCHAR(200)  NOT NULL,
    workflow_id    VARCHAR(40)   NOT NULL,
    cron           VARCHAR(200)  NOT NULL,
    timezone       VARCHAR(64)   NOT NULL,
    enabled        BOOLEAN       NOT NULL,
    -- The options of each job, a JSON object as POST /api/v1/jobs takes them (as text).
    job_options    TEXT          NOT NULL,
    misfire_policy VARCHAR(16)   NOT NULL,
    misfire_limit  INTEGER       NOT NULL,
    overlap_policy VARCHAR(16)   NOT NULL,
    -- NULL while disabled.
    next_fire_at   TIMESTAMP WITH TIME ZONE,
    last_fire_at   TIMESTAMP WITH TIME ZONE,
    last_job_id    VARCHAR(40),
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by     VARCHAR(400)  NOT NULL,
    CONSTRAINT schedules_name_unique UNIQUE (name),
    CONSTRAINT schedules_workflow FOREIGN KEY (workflow_id) REFERENCES workflows (id) ON DELETE CASCADE,
    CONSTRAINT schedules_misfire CHECK (misfire_policy IN ('fire_once', 'skip', 'fire_all')),
    CONSTRAINT schedules_overlap CHECK (overlap_policy IN ('allow', 'skip'))
);

CREATE INDEX schedules_due ON schedules (next_fire_at);
CREATE INDEX schedules_workflow ON schedules (workflow_id);

-- Each fire of a schedule: started (with its job) or skipped (with the reason). The primary key
-- is the exactly-once guarantee. job_id has no foreign key: purging old jobs keeps the history.
CREATE TABLE schedule_fires (
    schedule_id  VARCHAR(40)  NOT NULL,
    scheduled_at TIMESTAMP WITH TIME ZONE NOT NULL,
    fired_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    -- 'cron' or 'manual' (trigger now).
    kind         VARCHAR(10)  NOT NULL,
    outcome      VARCHAR(10)  NOT NULL,
    job_id       VARCHAR(40),
    reason       VARCHAR(1000),
    PRIMARY KEY (schedule_id, scheduled_at),
    CONSTRAINT schedule_fires_schedule FOREIGN KEY (schedule_id) REFERENCES schedules (id) ON DELETE CASCADE,
    CONSTRAINT schedule_fires_outcome CHECK (outcome IN ('started', 'skipped'))
);

-- One row that schedule fires lock while they count active schedule-started jobs, so
-- scheduler.max_concurrent_schedules holds across instances.
CREATE TABLE scheduler_slots (
    id INTEGER NOT NULL PRIMARY KEY
);
INSERT INTO scheduler_slots (id) VALUES (1);

-- A webhook trigger: POST /webhooks/{id} starts a job of the workflow. auth_mode 'hmac' keeps
-- the secret (it must compute signatures); 'key' keeps only the SHA-256 of the key.
CREATE TABLE webhooks (
    id             VARCHAR(40)   NOT NULL PRIMARY KEY,
    name           VARCHAR(200)  NOT NULL,
    workflow_id    VARCHAR(40)   NOT NULL,
    auth_mode      VARCHAR(10)   NOT NULL,
    secret         VARCHAR(200)  NOT NULL,
    -- A JSON pointer into the request body whose object becomes the job's variables; '' = the whole body.
    variables_path VARCHAR(400)  NOT NULL,
    job_options    TEXT          NOT NULL,
    enabled        BOOLEAN       NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by     VARCHAR(400)  NOT NULL,
    CONSTRAINT webhooks_name_unique UNIQUE (name),
    CONSTRAINT webhooks_workflow FOREIGN KEY (workflow_id) REFERENCES workflows (id) ON DELETE CASCADE,
    CONSTRAINT webhooks_auth CHECK (auth_mode IN ('hmac', 'key'))
);
