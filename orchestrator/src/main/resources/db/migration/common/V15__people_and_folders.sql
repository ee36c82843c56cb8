-- People and folders (docs/access.md): users, groups, service accounts, roles made of
-- permissions, and bindings (principal, role, folder) on a tree of folders. Everything that
-- exists moves into the root folder ('root', shown as "Default"), and every API key keeps the
-- access it had: a robot key stays a robot credential; any other key becomes the credential of
-- a service account of its own, bound at the root to the roles its old role stood for.

CREATE TABLE folders (
    id          VARCHAR(40)   NOT NULL PRIMARY KEY,
    name        VARCHAR(100)  NOT NULL,
    parent_id   VARCHAR(40),
    description VARCHAR(1000) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by  VARCHAR(400)  NOT NULL,
    CONSTRAINT folders_parent FOREIGN KEY (parent_id) REFERENCES folders (id),
    CONSTRAINT folders_name UNIQUE (parent_id, name)
);

INSERT INTO folders (id, name, parent_id, description, created_at, created_by)
VALUES ('root', 'Default', NULL, 'The root folder: everything that is not in a folder of its own.', CURRENT_TIMESTAMP, 'migration');

-- People. username is stored lower-case; password_hash is a PHC string (Argon2id), null for a
-- user who signs in only through single sign-on or whose password was reset.
CREATE TABLE users (
    id              VARCHAR(40)  NOT NULL PRIMARY KEY,
    username        VARCHAR(100) NOT NULL,
    email           VARCHAR(320),
    display_name    VARCHAR(200) NOT NULL,
    status          VARCHAR(20)  NOT NULL,
    password_hash   VARCHAR(500),
    failed_logins   INTEGER      NOT NULL DEFAULT 0,
    locked_until    TIMESTAMP WITH TIME ZONE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by      VARCHAR(400) NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    last_login_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT users_username UNIQUE (username),
    CONSTRAINT users_status CHECK (status IN ('active', 'disabled'))
);

-- A user's account at an OIDC provider, linked by the provider's subject (never by email).
CREATE TABLE user_identities (
    issuer    VARCHAR(500) NOT NULL,
    subject   VARCHAR(255) NOT NULL,
    user_id   VARCHAR(40)  NOT NULL,
    email     VARCHAR(320),
    linked_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (issuer, subject),
    CONSTRAINT user_identities_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX user_identities_by_user ON user_identities (user_id);

-- Signed-in sessions: one per login (API or dashboard). Only hashes of the refresh token and of
-- the CSRF token are kept. Revoked at logout, when the user is disabled, or by an admin.
CREATE TABLE user_sessions (
    id             VARCHAR(40)  NOT NULL PRIMARY KEY,
    user_id        VARCHAR(40)  NOT NULL,
    kind           VARCHAR(20)  NOT NULL,
    refresh_hash   CHAR(64)     NOT NULL,
    csrf_hash      CHAR(64),
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at   TIMESTAMP WITH TIME ZONE,
    revoked_at     TIMESTAMP WITH TIME ZONE,
    client_address VARCHAR(100),
    CONSTRAINT user_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT user_sessions_refresh UNIQUE (refresh_hash),
    CONSTRAINT user_sessions_kind CHECK (kind IN ('api', 'dashboard'))
);

CREATE INDEX user_sessions_by_user ON user_sessions (user_id);

-- One-time tokens that let a user set a password (reset-password, first admin set-up).
CREATE TABLE password_resets (
    token_hash CHAR(64)     NOT NULL PRIMARY KEY,
    user_id    VARCHAR(40)  NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at    TIMESTAMP WITH TIME ZONE,
    created_by VARCHAR(400) NOT NULL,
    CONSTRAINT password_resets_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
);

-- Groups of users. external_name is the value of the identity provider's groups claim that
-- makes a signed-in user a member (membership from the claim is refreshed at each sign-in).
CREATE TABLE user_groups (
    id            VARCHAR(40)   NOT NULL PRIMARY KEY,
    name          VARCHAR(100)  NOT NULL,
    description   VARCHAR(1000) NOT NULL,
    external_name VARCHAR(200),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by    VARCHAR(400)  NOT NULL,
    CONSTRAINT user_groups_name UNIQUE (name),
    CONSTRAINT user_groups_external UNIQUE (external_name)
);

CREATE TABLE user_group_members (
    group_id VARCHAR(40) NOT NULL,
    user_id  VARCHAR(40) NOT NULL,
    source   VARCHAR(20) NOT NULL,
    PRIMARY KEY (group_id, user_id),
    CONSTRAINT user_group_members_group FOREIGN KEY (group_id) REFERENCES user_groups (id) ON DELETE CASCADE,
    CONSTRAINT user_group_members_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT user_group_members_source CHECK (source IN ('local', 'oidc'))
);

CREATE INDEX user_group_members_by_user ON user_group_members (user_id);

-- Non-person callers (CI, scripts): their API keys act with the account's bindings.
CREATE TABLE service_accounts (
    id          VARCHAR(40)   NOT NULL PRIMARY KEY,
    name        VARCHAR(200)  NOT NULL,
    description VARCHAR(1000) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by  VARCHAR(400)  NOT NULL,
    disabled_at TIMESTAMP WITH TIME ZONE
);

-- Roles are sets of permissions (resource.action). Built-in roles are rows too (bindings
-- refer to them); they cannot be changed or deleted.
CREATE TABLE roles (
    name        VARCHAR(50)   NOT NULL PRIMARY KEY,
    description VARCHAR(1000) NOT NULL,
    built_in    BOOLEAN       NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE role_permissions (
    role_name  VARCHAR(50)  NOT NULL,
    permission VARCHAR(100) NOT NULL,
    PRIMARY KEY (role_name, permission),
    CONSTRAINT role_permissions_role FOREIGN KEY (role_name) REFERENCES roles (name) ON DELETE CASCADE
);

INSERT INTO roles (name, description, built_in, created_at) VALUES
    ('admin', 'Everything, in the whole installation: people, keys, folders, roles, every resource.', TRUE, CURRENT_TIMESTAMP),
    ('folder_admin', 'Everything in its folder and below: deploy, run, delete, triggers, bindings, the folder''s audit trail.', TRUE, CURRENT_TIMESTAMP),
    ('developer', 'Reads the folder and deploys workflows into it.', TRUE, CURRENT_TIMESTAMP),
    ('operator', 'Reads the folder; runs, cancels and retries jobs; changes schedules and webhooks; robot maintenance.', TRUE, CURRENT_TIMESTAMP),
    ('viewer', 'Reads the folder: workflows, jobs, logs, schedules, webhooks, robots. Changes nothing.', TRUE, CURRENT_TIMESTAMP),
    ('robot', 'Speaks the robot protocol: claims and runs the folder''s jobs.', TRUE, CURRENT_TIMESTAMP);

-- The permissions of the built-in roles are defined in code (domain/RoleDefinition), so a
-- release that adds a permission updates them; role_permissions holds custom roles' only.

-- A binding gives a principal a role in a folder and every folder below it. principal_kind:
-- user, group, service_account; api_key for a personal token's own (narrower) bindings.
CREATE TABLE role_bindings (
    id             VARCHAR(40)  NOT NULL PRIMARY KEY,
    principal_kind VARCHAR(20)  NOT NULL,
    principal_id   VARCHAR(200) NOT NULL,
    role_name      VARCHAR(50)  NOT NULL,
    folder_id      VARCHAR(40)  NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by     VARCHAR(400) NOT NULL,
    CONSTRAINT role_bindings_role FOREIGN KEY (role_name) REFERENCES roles (name),
    CONSTRAINT role_bindings_folder FOREIGN KEY (folder_id) REFERENCES folders (id),
    CONSTRAINT role_bindings_unique UNIQUE (principal_kind, principal_id, role_name, folder_id),
    CONSTRAINT role_bindings_kind CHECK (principal_kind IN ('user', 'group', 'service_account', 'api_key'))
);

CREATE INDEX role_bindings_principal ON role_bindings (principal_id, principal_kind);
CREATE INDEX role_bindings_folder ON role_bindings (folder_id);

-- API keys get an owner: a service account (owner_kind service_account), a user (a personal
-- token), or a robot (owner_kind robot; owner_id the robot it is bound to, null for a fleet key).
-- role stays for robot keys and as the label a migrated key was created with.
ALTER TABLE api_keys ADD COLUMN owner_kind VARCHAR(20);
ALTER TABLE api_keys ADD COLUMN owner_id VARCHAR(200);
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role CHECK (role IN ('admin', 'operator', 'viewer', 'robot', 'bindings'));

INSERT INTO service_accounts (id, name, description, created_at, created_by)
SELECT 'sa_' || SUBSTRING(id, 5), name, 'Made from API key ' || id || ' when folders arrived.', created_at, created_by
FROM api_keys WHERE role <> 'robot';

UPDATE api_keys SET owner_kind = 'service_account', owner_id = 'sa_' || SUBSTRING(id, 5) WHERE role <> 'robot';
UPDATE api_keys SET owner_kind = 'robot', owner_id = robot_id WHERE role = 'robot';

INSERT INTO role_bindings (id, principal_kind, principal_id, role_name, folder_id, created_at, created_by)
SELECT 'rb_' || SUBSTRING(id, 5), 'service_account', 'sa_' || SUBSTRING(id, 5), 'admin', 'root', created_at, 'migration'
FROM api_keys WHERE role = 'admin';
INSERT INTO role_bindings (id, principal_kind, principal_id, role_name, folder_id, created_at, created_by)
SELECT 'rb_' || SUBSTRING(id, 5), 'service_account', 'sa_' || SUBSTRING(id, 5), 'viewer', 'root', created_at, 'migration'
FROM api_keys WHERE role = 'viewer';
-- An operator key deployed, ran and changed triggers: today that is developer and operator.
INSERT INTO role_bindings (id, principal_kind, principal_id, role_name, folder_id, created_at, created_by)
SELECT 'rb_' || SUBSTRING(id, 5), 'service_account', 'sa_' || SUBSTRING(id, 5), 'developer', 'root', created_at, 'migration'
FROM api_keys WHERE role = 'operator';
INSERT INTO role_bindings (id, principal_kind, principal_id, role_name, folder_id, created_at, created_by)
SELECT 'rbo_' || SUBSTRING(id, 5), 'service_account', 'sa_' || SUBSTRING(id, 5), 'operator', 'root', created_at, 'migration'
FROM api_keys WHERE role = 'operator';

CREATE INDEX api_keys_owner ON api_keys (owner_id, owner_kind);

-- The folder a robot serves (and every folder below it). A robot with no row serves the root,
-- that is, every folder: single-team installations never assign robots. A robot key may name
-- folders too; a robot that registers with such a key joins them.
CREATE TABLE robot_folders (
    robot_id  VARCHAR(200) NOT NULL,
    folder_id VARCHAR(40)  NOT NULL,
    PRIMARY KEY (robot_id, folder_id),
    CONSTRAINT robot_folders_folder FOREIGN KEY (folder_id) REFERENCES folders (id)
);

CREATE INDEX robot_folders_by_folder ON robot_folders (folder_id);

CREATE TABLE api_key_folders (
    key_id    VARCHAR(40) NOT NULL,
    folder_id VARCHAR(40) NOT NULL,
    PRIMARY KEY (key_id, folder_id),
    CONSTRAINT api_key_folders_key FOREIGN KEY (key_id) REFERENCES api_keys (id) ON DELETE CASCADE,
    CONSTRAINT api_key_folders_folder FOREIGN KEY (folder_id) REFERENCES folders (id)
);

-- Every resource lives in a folder; what exists today is in the root.
ALTER TABLE workflows ADD COLUMN folder_id VARCHAR(40) DEFAULT 'root' NOT NULL;
ALTER TABLE workflows ADD CONSTRAINT workflows_folder FOREIGN KEY (folder_id) REFERENCES folders (id);
CREATE INDEX workflows_by_folder ON workflows (folder_id);
ALTER TABLE schedules ADD COLUMN folder_id VARCHAR(40) DEFAULT 'root' NOT NULL;
ALTER TABLE schedules ADD CONSTRAINT schedules_folder FOREIGN KEY (folder_id) REFERENCES folders (id);
ALTER TABLE webhooks ADD COLUMN folder_id VARCHAR(40) DEFAULT 'root' NOT NULL;
ALTER TABLE webhooks ADD CONSTRAINT webhooks_folder FOREIGN KEY (folder_id) REFERENCES folders (id);
-- A job's folder is its workflow's at submission (no foreign key: jobs are the hot table).
ALTER TABLE jobs ADD COLUMN folder_id VARCHAR(40) DEFAULT 'root' NOT NULL;

-- The audit trail names the folder of what changed and the client's address.
ALTER TABLE audit_events ADD COLUMN folder_id VARCHAR(40);
ALTER TABLE audit_events ADD COLUMN client_address VARCHAR(100);
CREATE INDEX audit_events_folder ON audit_events (folder_id, id);
