package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.store.BindingStore;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Keeps an installation that has an administrator from losing its last one: a change that may
 * take admin away (a binding removed, a group emptied or deleted, a service account or a user
 * disabled) runs in a transaction that counts the admin bindings that can still act before and
 * after, and is undone (409) when it would leave none. An installation that never had one (a
 * fresh database administered from the CLI) is not held to it.
 *
 * <p>Such changes are made one at a time across instances: each first locks the row of
 * {@code admin_changes} ({@link BindingStore#lockAdminChanges}), so of two that would each
 * remove one of the last two admins, the second counts after the first committed and is refused.
 */
final class AdminGuard {
    private final BindingStore bindings;
    private final AuditTrail audit;

    AdminGuard(BindingStore bindings, AuditTrail audit) {
        this.bindings = bindings;
        this.audit = audit;
    }

    /** Runs {@code change} (which records its audit events) in one transaction, refused when it removes the last admin. */
    <T> T atomically(String what, Supplier<T> change) {
        return audit.atomically(() -> {
            bindings.lockAdminChanges();
            long before = bindings.liveAdmins();
            T result = change.get();
            if (before > 0 && bindings.liveAdmins() == 0) {
                throw new ConflictException("last_admin", what + " would leave the installation without an administrator (no"
                        + " active user, group member or service account would hold the admin role at the root); bind another"
                        + " admin first", Map.of());
            }
            return result;
        });
    }

    void atomically(String what, Runnable change) {
        atomically(what, () -> {
            change.run();
            return null;
        });
    }
}
