-- The audit trail filtered by the resource it changed (GET /api/v1/audit?target_type=&target_id=;
-- docs/rest-api.md, "Audit trail"), newest first like the other filters (actor, action, folder):
-- one index per column, each ending in the id the listing orders and pages by. An id names one
-- resource (ids are unique across types but for a few names such as a role's), so a type and id
-- together read the id's entries and check the type on those few.
CREATE INDEX audit_events_target_id ON audit_events (target_id, id);
CREATE INDEX audit_events_target_type ON audit_events (target_type, id);
