-- A dashboard session may be opened with an API key instead of a person's password (for
-- installations that have no users yet): the session then belongs to the key, and ends at once
-- when the key is revoked or expires. Exactly one of user_id and api_key_id is set.
ALTER TABLE user_sessions ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE user_sessions ADD COLUMN api_key_id VARCHAR(40);
ALTER TABLE user_sessions ADD CONSTRAINT user_sessions_key FOREIGN KEY (api_key_id) REFERENCES api_keys (id) ON DELETE CASCADE;
ALTER TABLE user_sessions ADD CONSTRAINT user_sessions_owner CHECK ((user_id IS NULL AND api_key_id IS NOT NULL)
    OR (user_id IS NOT NULL AND api_key_id IS NULL));
