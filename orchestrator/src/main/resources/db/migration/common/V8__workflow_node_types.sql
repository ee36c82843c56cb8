-- The node types each workflow version uses, so a robot that lists the node types it can run
-- is never sent a job it cannot run (the claim filters on this table). Written at deploy and
-- import; versions stored before this migration have no rows and go to any robot.
CREATE TABLE workflow_node_types (
    workflow_id VARCHAR(40)  NOT NULL,
    version     INTEGER      NOT NULL,
    node_type   VARCHAR(200) NOT NULL,
    PRIMARY KEY (workflow_id, version, node_type),
    CONSTRAINT workflow_node_types_version FOREIGN KEY (workflow_id, version)
        REFERENCES workflow_versions (workflow_id, version) ON DELETE CASCADE
);
