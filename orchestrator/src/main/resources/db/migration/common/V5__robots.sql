-- The fleet. A robot registers (over WebSocket or REST), heartbeats, and holds jobs under
-- leases. last_heartbeat is written from the database clock; a robot silent past the
-- heartbeat timeout is marked offline by any instance's sweep.
CREATE TABLE robots (
    id                  VARCHAR(200) NOT NULL PRIMARY KEY,
    name                VARCHAR(200) NOT NULL,
    hostname            VARCHAR(255),
    capabilities        TEXT         NOT NULL,
    tags                TEXT         NOT NULL,
    environment         VARCHAR(100),
    max_concurrent_jobs INTEGER      NOT NULL,
    status              VARCHAR(20)  NOT NULL,
    maintenance         BOOLEAN      DEFAULT FALSE NOT NULL,
    agent_version       VARCHAR(100),
    protocol            VARCHAR(20)  NOT NULL,
    registered_by       VARCHAR(40),
    registered_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    last_heartbeat      TIMESTAMP WITH TIME ZONE,
    cpu_percent         DOUBLE PRECISION,
    memory_percent      DOUBLE PRECISION,
    memory_mb           DOUBLE PRECISION,
    current_job_count   INTEGER      DEFAULT 0 NOT NULL,
    CONSTRAINT robots_status CHECK (status IN ('online', 'busy', 'offline')),
    CONSTRAINT robots_slots CHECK (max_concurrent_jobs BETWEEN 1 AND 1000)
);

CREATE INDEX robots_liveness ON robots (status, last_heartbeat);
