-- One row that changes which may take the last administrator away (a binding taken back, a
-- group emptied or deleted, a service account or a user disabled) lock with SELECT ... FOR UPDATE
-- before they count the admins that remain, so two such changes at once are made one after the
-- other and never both count the other's admin as still there (service/AdminGuard). A table of
-- its own, like scheduler_slots: nothing else writes the row and no foreign key points at it.
CREATE TABLE admin_changes (
    id INTEGER NOT NULL PRIMARY KEY
);
INSERT INTO admin_changes (id) VALUES (1);
