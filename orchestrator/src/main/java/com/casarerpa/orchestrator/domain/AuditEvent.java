package com.casarerpa.orchestrator.domain;

import java.time.Instant;
import java.util.Map;

/**
 * One recorded change of the audit trail ({@link AuditTrail}), as admins read it.
 *
 * @param folderId      the folder of what changed; null for a change of the installation
 * @param clientAddress the address the request came from; null for the CLI and background work
 */
public record AuditEvent(long id, Instant occurredAt, String actorKind, String actorId, String actorName, String action,
        String targetType, String targetId, Map<String, Object> details, String requestId, String folderId,
        String clientAddress) {}
