package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.AuditEvent;
import com.casarerpa.orchestrator.domain.AuditFilter;
import com.casarerpa.orchestrator.paging.Page;
import com.casarerpa.orchestrator.paging.PageRequest;
import com.casarerpa.orchestrator.store.AuditStore;

/** The audit trail as admins read it ({@code GET /api/v1/audit}): its events, newest first. */
public final class AuditLog {
    private final AuditStore store;

    public AuditLog(AuditStore store) {
        this.store = store;
    }

    public Page<AuditEvent> list(AuditFilter filter, PageRequest page) {
        return store.list(filter, page);
    }
}
