-- The JWT signing key that a PostgreSQL installation generates at its first start when none is
-- configured (orchestrator.secret_key). One row per purpose, inserted only if absent, so that
-- instances starting at once on one database agree on one key and every later start reads it.
-- The embedded database keeps its generated key in <data dir>/secret.key and never writes here.
-- A table of its own, not orchestrator_meta: an operator can keep reporting roles away from it.
CREATE TABLE generated_secrets (
    secret_name  VARCHAR(50)  NOT NULL PRIMARY KEY,
    secret_value VARCHAR(200) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);
