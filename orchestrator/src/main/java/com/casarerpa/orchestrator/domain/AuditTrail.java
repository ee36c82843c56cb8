package com.casarerpa.orchestrator.domain;

import com.casarerpa.orchestrator.domain.Actor;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Records who changed what and when, in the transaction of the change: every write by a user or
 * key makes its change and calls {@link #record} inside {@link #atomically}, so a change that
 * commits has its event and one refused or rolled back has none. Admins read it at
 * {@code GET /api/v1/audit}, folder admins the events of their folders.
 */
public interface AuditTrail {
    /**
     * The logging MDC key under which a transport puts the address of the client whose request is
     * under way (the HTTP API does); events recorded meanwhile keep it.
     */
    String CLIENT_ADDRESS = "client_address";
    /**
     * Writes one event in the transaction of {@link #atomically} that is under way on this thread.
     *
     * @param actor      who
     * @param action     what, as {@code noun.verb}: {@code workflow.deploy}, {@code api_key.revoke}
     * @param targetType {@code workflow}, {@code api_key}, …
     * @param targetId   the id of the thing changed
     * @param details    small facts worth keeping (version, name); never secrets
     * @throws IllegalStateException when called outside {@link #atomically} (the database trail)
     */
    default void record(Actor actor, String action, String targetType, String targetId, Map<String, Object> details) {
        record(actor, action, targetType, targetId, details, null);
    }

    /**
     * As {@link #record(Actor, String, String, String, Map)}, for a change in a folder: the event
     * carries it, so the folder's admins read it too.
     *
     * @param folderId the folder of what changed; null for a change of the installation (keys, users)
     */
    void record(Actor actor, String action, String targetType, String targetId, Map<String, Object> details, String folderId);

    /**
     * Runs {@code change} in one transaction with the events it records: both commit, or, when
     * it throws, neither. The stores it calls join that transaction (they share the trail's
     * database access on this thread); nested calls join the outer one.
     */
    <T> T atomically(Supplier<T> change);

    /** As {@link #atomically(Supplier)}, for a change that returns nothing. */
    default void atomically(Runnable change) {
        atomically(() -> {
            change.run();
            return null;
        });
    }
}
