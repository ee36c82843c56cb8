-- What the dashboard's overview, robots and workflows pages read (GET /api/v1/overview, robot
-- samples, workflow health; docs/rest-api.md, "Overview"). The indexes on jobs are partial: a
-- job enters them when it finishes (or, for the pending one, when it is submitted), so claims,
-- starts and lease renewals do not maintain them. The same version in ../h2 has the H2 form.

-- Jobs per minute by outcome and the recent failures: finished jobs by state and time, with the
-- folder so a folder's viewer is answered from the index alone.
CREATE INDEX jobs_finished ON jobs (state, finished_at, folder_id) WHERE finished_at IS NOT NULL;
-- Workflow health (last outcome, failing streak, recovery) and jobs of the last 24 hours, per workflow.
CREATE INDEX jobs_workflow_finished ON jobs (workflow_id, state, finished_at) WHERE finished_at IS NOT NULL;
-- The queue of a folder: its pending jobs, oldest first.
CREATE INDEX jobs_pending_folder ON jobs (folder_id, created_at) WHERE state = 'pending';

-- A robot's cpu and memory, at most one row a minute (sampled_at is the minute), for the
-- dashboard's sparklines (GET /api/v1/robots/{id}/samples). Written on a heartbeat when the
-- robot's last sample is of an earlier minute; rows older than a day are pruned by every
-- instance's sweep (scheduler/PruneRobotSamples). A deleted robot's samples go with it.
CREATE TABLE robot_samples (
    robot_id       VARCHAR(200) NOT NULL,
    sampled_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    cpu_percent    DOUBLE PRECISION,
    memory_percent DOUBLE PRECISION,
    memory_mb      DOUBLE PRECISION,
    PRIMARY KEY (robot_id, sampled_at),
    CONSTRAINT robot_samples_robot FOREIGN KEY (robot_id) REFERENCES robots (id) ON DELETE CASCADE
);

CREATE INDEX robot_samples_pruning ON robot_samples (sampled_at);

-- The orchestrator instances that ran on this database: written when an instance first pulses
-- (instance_pulses, V12, says whether it is alive), gone_at when it stops or the others find it
-- dead; kept a day after it went, for GET /api/v1/instances ("recently gone").
CREATE TABLE orchestrator_instances (
    instance_id   VARCHAR(100) NOT NULL PRIMARY KEY,
    host          VARCHAR(255),
    pid           BIGINT,
    version       VARCHAR(100),
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    -- Its last pulse, copied when it went (its instance_pulses row is deleted then).
    last_pulse_at TIMESTAMP WITH TIME ZONE,
    gone_at       TIMESTAMP WITH TIME ZONE,
    -- 'stopped' (it said so) or 'silent' (it stopped pulsing).
    gone_reason   VARCHAR(20)
);

-- The dispatch latency of the overview: attempts assigned in the last hour.
CREATE INDEX job_attempts_assigned ON job_attempts (assigned_at);
