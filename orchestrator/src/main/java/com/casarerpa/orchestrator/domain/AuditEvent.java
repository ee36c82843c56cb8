package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.Map;

/** One recorded change of the audit trail ({@link AuditTrail}), as admins read it. */
public record AuditEvent(long id, Instant occurredAt, String actorKind, String actorId, String actorName, String action,
        String targetType, String targetId, Map<String, Object> details, String requestId) {}
