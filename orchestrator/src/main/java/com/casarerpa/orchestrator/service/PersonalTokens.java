package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.orchestrator.domain.Binding;
import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.Principal;
import com.casarerpa.orchestrator.domain.RoleDefinition;
import com.casarerpa.orchestrator.domain.WorkflowIds;
import com.casarerpa.orchestrator.store.BindingStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Personal API tokens: API keys a signed-in person makes for scripts, owned by that person.
 * A token carries bindings of its own, each a role in a folder the person holds now; when used,
 * it may do what both its bindings and its owner's current bindings allow
 * ({@link ApiKeys#actorOf}), so it shrinks with its owner and stops with a disabled owner.
 * It expires after at most {@code auth.personal_token_max_days}.
 */
public final class PersonalTokens {
    /** More than anyone needs; a bound on the work of one request. */
    static final int MAX_BINDINGS = 50;

    private final ApiKeys keys;
    private final FolderLookup lookup;
    private final RoleCatalog roles;
    private final BindingStore bindings;
    private final int maxDays;
    private final Clock clock;

    PersonalTokens(ApiKeys keys, FolderLookup lookup, RoleCatalog roles, BindingStore bindings, int maxDays, Clock clock) {
        this.keys = keys;
        this.lookup = lookup;
        this.roles = roles;
        this.bindings = bindings;
        this.maxDays = maxDays;
        this.clock = clock;
    }

    /** A role in a folder (an id or a path) that a token asks for. */
    public record Requested(String role, String folder) {}

    /** A role in a folder that a token carries. */
    public record Scope(String role, String folderId, String folderPath) {}

    /** A token: the key's record and its own bindings. */
    public record Token(ApiKey key, List<Scope> scopes) {}

    /** A new token: its record, its bindings, and the key text, shown once. */
    public record Issued(Token token, String plaintext) {}

    /** The longest a token may live, in days. */
    public int maxDays() {
        return maxDays;
    }

    public Issued create(String name, Optional<Integer> expiresInDays, List<Requested> requested, Actor by) {
        requirePerson(by);
        int days = expiresInDays.orElse(maxDays);
        if (days < 1 || days > maxDays) {
            throw new InvalidInputException("expires_in_days", "must be from 1 to " + maxDays
                    + " (auth.personal_token_max_days), got " + days);
        }
        List<Scope> scopes = scopes(requested, by);
        Instant now = clock.instant();
        ApiKeys.IssuedKey issued = keys.issue(ApiKey.Owner.user(by.id()), name, Optional.of(now.plus(Duration.ofDays(days))), by,
                key -> scopes.forEach(s -> bindings.insert(new Binding(WorkflowIds.random("rb_"),
                        new Principal(Principal.API_KEY, key.id()), key.name(), s.role(), s.folderId(), now, by.describe()))));
        return new Issued(new Token(issued.key(), scopes), issued.plaintext());
    }

    /** The caller's own tokens that are not revoked (none for a caller that is not a person). */
    public List<Token> mine(Actor by) {
        if (!by.isUser()) {
            return List.of();
        }
        return keys.ofOwner(ApiKey.Owner.user(by.id()), false).stream().map(this::token).toList();
    }

    /** Revokes one of the caller's tokens; 404 for any other key. */
    public Token revoke(String id, Actor by) {
        Token token = mine(by).stream().filter(t -> t.key().id().equals(id)).findFirst()
                .orElseThrow(() -> new NotFoundException("Personal token " + id + " does not exist (among your tokens)."));
        keys.revoke(id, by);
        return token(keys.get(id));
    }

    private Token token(ApiKey key) {
        FolderTree tree = lookup.tree();
        return new Token(key, bindings.of(new Principal(Principal.API_KEY, key.id())).stream()
                .map(b -> new Scope(b.roleName(), b.folderId(), tree.path(b.folderId()))).toList());
    }

    /** The requested bindings, each one the person holds now (400 naming the entry otherwise), without repeats. */
    private List<Scope> scopes(List<Requested> requested, Actor by) {
        if (requested.isEmpty()) {
            throw new InvalidInputException("bindings", "a token needs at least one {role, folder}: what it may do, within what you may");
        }
        if (requested.size() > MAX_BINDINGS) {
            throw new InvalidInputException("bindings", "at most " + MAX_BINDINGS + " entries, got " + requested.size());
        }
        FolderTree tree = lookup.tree();
        Set<Scope> out = new LinkedHashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            String at = "bindings[" + i + "]";
            Requested r = requested.get(i);
            RoleDefinition role = roles.named(r.role(), at + ".role");
            Folder folder = FolderLookup.visible(tree, Optional.ofNullable(r.folder()).orElse(Folder.ROOT_ID), by, at + ".folder");
            if (role.name().equals(RoleDefinition.ADMIN) && !folder.isRoot()) {
                throw new InvalidInputException(at + ".folder", "the admin role is held at the root folder only");
            }
            Set<Permission> missing = by.grants().missing(role.permissionsIn(folder.id()), folder.id());
            if (!missing.isEmpty()) {
                throw new InvalidInputException(at + ".role", "role " + role.name() + " in folder " + tree.path(folder.id())
                        + " holds permissions you do not hold there (" + Escalation.names(missing)
                        + "); a token may do only what you may");
            }
            out.add(new Scope(role.name(), folder.id(), tree.path(folder.id())));
        }
        return List.copyOf(out);
    }

    private static void requirePerson(Actor by) {
        if (!by.isUser()) {
            throw new ForbiddenException("personal tokens are made by a signed-in person; " + by.kind() + " " + by.id()
                    + " is not one (service accounts get keys at /api/v1/service-accounts/{id}/keys)");
        }
    }
}
