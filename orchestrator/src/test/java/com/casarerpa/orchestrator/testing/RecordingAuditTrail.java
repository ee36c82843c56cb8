package com.casarerpa.orchestrator.testing;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** An audit trail that keeps what it is told, for assertions (in memory: {@link #atomically} just runs the change). */
public final class RecordingAuditTrail implements AuditTrail {
    public record Entry(Actor actor, String action, String targetType, String targetId, Map<String, Object> details,
            String folderId) {}

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    @Override
    public void record(Actor actor, String action, String targetType, String targetId, Map<String, Object> details,
            String folderId) {
        entries.add(new Entry(actor, action, targetType, targetId, Map.copyOf(details), folderId));
    }

    @Override
    public <T> T atomically(java.util.function.Supplier<T> change) {
        return change.get();
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public List<String> actions() {
        return entries.stream().map(Entry::action).toList();
    }
}
