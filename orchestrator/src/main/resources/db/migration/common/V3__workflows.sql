-- Workflows and their immutable versions. A deploy of an existing name adds a version; earlier
-- versions stay readable because jobs pin the version they run.
-- Portable SQL for PostgreSQL 15 and H2 (PostgreSQL mode): JSON is stored as TEXT (H2's JSON
-- type double-encodes text), no partial indexes. V2 is reserved for API keys and the audit trail.
CREATE TABLE workflows (
    id             VARCHAR(40)   NOT NULL PRIMARY KEY,
    name           VARCHAR(200)  NOT NULL,
    description    VARCHAR(2000),
    -- A JSON array of strings; tags never contain quotes or backslashes, so a tag filter can
    -- match the quoted tag inside this text exactly.
    tags           VARCHAR(4000) DEFAULT '[]' NOT NULL,
    latest_version INTEGER       NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by     VARCHAR(300)  NOT NULL,
    CONSTRAINT workflows_name_unique UNIQUE (name)
);

CREATE TABLE workflow_versions (
    workflow_id VARCHAR(40)  NOT NULL,
    version     INTEGER      NOT NULL,
    -- The definition as compact JSON, exactly as validated; checksum is the SHA-256 (hex) of
    -- its UTF-8 bytes and size_bytes their count.
    definition  TEXT         NOT NULL,
    checksum    CHAR(64)     NOT NULL,
    size_bytes  INTEGER      NOT NULL,
    node_count  INTEGER      NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by  VARCHAR(300) NOT NULL,
    CONSTRAINT workflow_versions_pk PRIMARY KEY (workflow_id, version),
    CONSTRAINT workflow_versions_workflow_fk FOREIGN KEY (workflow_id) REFERENCES workflows (id) ON DELETE CASCADE
);
