package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import java.util.Map;

/**
 * Records who changed what and when. Every write by a user or key calls it, inside or right
 * after the change it describes; admins read it at {@code GET /api/v1/audit}.
 */
public interface AuditTrail {
    /**
     * @param actor      who
     * @param action     what, as {@code noun.verb}: {@code workflow.deploy}, {@code api_key.revoke}
     * @param targetType {@code workflow}, {@code api_key}, …
     * @param targetId   the id of the thing changed
     * @param details    small facts worth keeping (version, name); never secrets
     */
    void record(Actor actor, String action, String targetType, String targetId, Map<String, Object> details);
}
