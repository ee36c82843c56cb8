package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.Principal;
import com.casarerpa.orchestrator.domain.ServiceAccount;
import com.casarerpa.orchestrator.domain.WorkflowIds;
import com.casarerpa.orchestrator.store.AccessStore;
import com.casarerpa.orchestrator.store.ServiceAccountStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Service accounts: callers that are not people (CI, scripts). An account is bound to roles
 * through the folders' bindings; its API keys act with those bindings. Disabling an account
 * revokes its keys at once; its record and bindings stay for the audit trail.
 */
public final class ServiceAccounts {
    private static final int MAX_NAME = 200;
    private static final int MAX_DESCRIPTION = 1000;

    private final ServiceAccountStore store;
    private final AccessStore access;
    private final ApiKeys keys;
    private final Bindings bindings;
    private final AuditTrail audit;
    private final Clock clock;

    ServiceAccounts(ServiceAccountStore store, AccessStore access, ApiKeys keys, Bindings bindings, AuditTrail audit, Clock clock) {
        this.store = store;
        this.access = access;
        this.keys = keys;
        this.bindings = bindings;
        this.audit = audit;
        this.clock = clock;
    }

    /** An account with its keys (never their text) and its bindings. */
    public record Detail(ServiceAccount account, List<ApiKey> keys, List<Bindings.Shown> bindings) {}

    public List<ServiceAccount> list(boolean includeDisabled) {
        return store.list(includeDisabled);
    }

    /** The account of an id, or of a name no other account has. */
    public Detail get(String ref) {
        ServiceAccount a = account(ref);
        return new Detail(a, keys.ofOwner(owner(a), true), bindings.of(new Principal(Principal.SERVICE_ACCOUNT, a.id())));
    }

    public Detail create(String name, String description, Actor by) {
        String n = TextFields.required(name, "name", MAX_NAME);
        String d = TextFields.optional(description, "description", MAX_DESCRIPTION);
        String id = WorkflowIds.random("sa_");
        Instant now = clock.instant();
        audit.atomically(() -> {
            access.insertServiceAccount(id, n, d, now, by.describe());
            audit.record(by, "service_account.create", "service_account", id, Map.of("name", n));
        });
        return get(id);
    }

    /** Disables the account and revokes its keys; disabling it again changes nothing. */
    public Detail disable(String ref, Actor by) {
        ServiceAccount a = account(ref);
        bindings.guarded("Disabling service account " + a.name(), () -> {
            if (store.disable(a.id(), clock.instant())) {
                List<ApiKey> live = keys.ofOwner(owner(a), false);
                live.forEach(k -> keys.revoke(k.id(), by));
                audit.record(by, "service_account.disable", "service_account", a.id(), Map.of("name", a.name(),
                        "keys_revoked", live.size()));
            }
        });
        return get(a.id());
    }

    /** A new key of the account, acting with its bindings. */
    public ApiKeys.IssuedKey issueKey(String ref, String name, Optional<Instant> expiresAt, Actor by) {
        ServiceAccount a = account(ref);
        if (a.disabled()) {
            throw new ConflictException("service account " + a.name() + " (" + a.id() + ") is disabled; it gets no new keys",
                    Map.of("service_account_id", a.id()));
        }
        return keys.issue(owner(a), name, expiresAt, by, k -> { });
    }

    private ServiceAccount account(String ref) {
        Optional<ServiceAccount> byId = store.find(ref);
        if (byId.isPresent()) {
            return byId.get();
        }
        List<ServiceAccount> named = store.named(ref);
        if (named.size() > 1) {
            throw new InvalidInputException("service_account", named.size() + " service accounts are named \"" + ref
                    + "\"; give the id of one: " + String.join(", ", named.stream().map(ServiceAccount::id).toList()));
        }
        return named.stream().findFirst().orElseThrow(() -> new NotFoundException("Service account " + ref + " does not exist."));
    }

    private static ApiKey.Owner owner(ServiceAccount a) {
        return ApiKey.Owner.serviceAccount(a.id());
    }
}
