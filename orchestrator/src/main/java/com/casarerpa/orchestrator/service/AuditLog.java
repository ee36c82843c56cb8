package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditEvent;
import com.casarerpa.orchestrator.domain.AuditFilter;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.paging.Page;
import com.casarerpa.orchestrator.paging.PageRequest;
import com.casarerpa.orchestrator.store.AuditStore;
import com.casarerpa.protocol.rest.FolderRef;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The audit trail as {@code GET /api/v1/audit} shows it, newest first: every event to a caller
 * holding {@code audit.read} at the root (an admin); to a folder admin, the events of the folders
 * where it holds {@code audit.read} (and below), not those of the installation (keys, users).
 */
public final class AuditLog {
    private final AuditStore store;
    private final FolderAccess folders;

    public AuditLog(AuditStore store, FolderAccess folders) {
        this.store = store;
        this.folders = folders;
    }

    /**
     * One event: who (actor kind, id, name), what, when, the folder of what changed (null for a
     * change of the installation), the request and its client address (null for the CLI).
     */
    public record Entry(long id, Instant occurredAt, String actorKind, String actorId, String actorName, String action,
            String targetType, String targetId, Map<String, Object> details, String requestId, FolderRef folder,
            String clientAddress) {}

    /**
     * @param folder only the events of this folder (an id or a path)
     * @throws InvalidInputException ({@code folder}) for a folder that does not exist for the caller
     */
    public Page<Entry> list(AuditFilter filter, Optional<String> folder, PageRequest page, Actor actor) {
        Optional<java.util.Set<String>> visible = folders.listed(actor, Permission.AUDIT_READ, folder);
        Page<AuditEvent> events = store.list(filter.within(visible), page);
        FolderTree tree = folders.tree();
        return events.map(e -> new Entry(e.id(), e.occurredAt(), e.actorKind(), e.actorId(), e.actorName(), e.action(),
                e.targetType(), e.targetId(), e.details(), e.requestId(),
                e.folderId() == null ? null : FolderAccess.ref(tree, e.folderId()), e.clientAddress()));
    }
}
