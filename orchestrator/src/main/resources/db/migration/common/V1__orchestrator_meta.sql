-- Facts about this installation, one row per key. Later migrations add jobs, robots, etc.
-- Column names avoid KEY and VALUE, which H2 reserves.
-- gen_random_uuid() is built into PostgreSQL 13+ (no pgcrypto needed) and into H2.
CREATE TABLE orchestrator_meta (
    meta_key   VARCHAR(100)  NOT NULL PRIMARY KEY,
    meta_value VARCHAR(4000) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);

INSERT INTO orchestrator_meta (meta_key, meta_value)
VALUES ('installation_id', CAST(gen_random_uuid() AS VARCHAR(36)));

INSERT INTO orchestrator_meta (meta_key, meta_value)
VALUES ('created_at', CAST(CURRENT_TIMESTAMP AS VARCHAR(64)));
