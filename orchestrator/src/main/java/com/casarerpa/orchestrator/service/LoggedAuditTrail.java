package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An audit trail that only writes log lines. DEBT: a stand-in until the database-backed audit
 * trail (issue: API keys and audit) is wired in {@code app/Orchestrator} and the CLI.
 */
public final class LoggedAuditTrail implements AuditTrail {
    private static final Logger log = LoggerFactory.getLogger("audit");

    @Override
    public void record(Actor actor, String action, String targetType, String targetId, Map<String, Object> details) {
        log.info("{} {} {}:{} {}", actor.describe(), action, targetType, targetId, details);
    }
}
