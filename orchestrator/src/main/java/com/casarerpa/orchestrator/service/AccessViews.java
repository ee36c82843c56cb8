package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.orchestrator.domain.Binding;
import com.casarerpa.orchestrator.domain.RoleDefinition;
import com.casarerpa.orchestrator.domain.ServiceAccount;
import com.casarerpa.orchestrator.domain.UserGroup;
import com.casarerpa.protocol.rest.AccessBodies;
import java.time.Instant;
import java.util.List;

/** The access administration's results as the API and the CLI's {@code --json} show them ({@link AccessBodies}). */
public final class AccessViews {
    private AccessViews() {}

    public static AccessBodies.Folder folder(Folders.Shown s) {
        var f = s.folder();
        return new AccessBodies.Folder(f.id(), f.name(), s.path(), f.parentId().orElse(null), f.description(), f.createdAt(),
                f.createdBy(), s.visible());
    }

    public static AccessBodies.Binding binding(Bindings.Shown s) {
        Binding b = s.binding();
        return new AccessBodies.Binding(b.id(), new AccessBodies.Principal(b.principal().kind(), b.principal().id(), b.principalName()),
                b.roleName(), b.folderId(), s.folderPath(), s.inherited(), b.createdAt(), b.createdBy());
    }

    public static AccessBodies.Group group(UserGroup g) {
        return new AccessBodies.Group(g.id(), g.name(), g.description(), g.externalName().orElse(null), g.members(), g.createdAt(),
                g.createdBy());
    }

    public static AccessBodies.GroupDetail group(Groups.Detail d) {
        return new AccessBodies.GroupDetail(group(d.group()), d.members().stream()
                .map(m -> new AccessBodies.GroupMember(m.userId(), m.username(), m.status(), m.source())).toList());
    }

    public static AccessBodies.ServiceAccount account(ServiceAccount a) {
        return new AccessBodies.ServiceAccount(a.id(), a.name(), a.description(), a.disabled() ? "disabled" : "active",
                a.createdAt(), a.createdBy(), a.disabledAt().orElse(null));
    }

    public static AccessBodies.ServiceAccountDetail account(ServiceAccounts.Detail d, Instant now) {
        return new AccessBodies.ServiceAccountDetail(account(d.account()),
                d.keys().stream().map(k -> ApiKeyView.of(k, now)).toList(),
                d.bindings().stream().map(AccessViews::binding).toList());
    }

    public static AccessBodies.RoleDefinition role(RoleDefinition r) {
        return new AccessBodies.RoleDefinition(r.name(), r.description(), r.builtIn(),
                r.permissions().stream().sorted().map(p -> p.wireName()).toList());
    }

    public static AccessBodies.PersonalToken token(PersonalTokens.Token t, Instant now) {
        return new AccessBodies.PersonalToken(ApiKeyView.of(t.key(), now), scopes(t.scopes()));
    }

    public static AccessBodies.CreatedPersonalToken created(PersonalTokens.Issued issued) {
        ApiKey k = issued.token().key();
        return new AccessBodies.CreatedPersonalToken(k.id(), k.name(), issued.plaintext(), k.createdAt(), k.expiresAt().orElse(null),
                scopes(issued.token().scopes()));
    }

    private static List<AccessBodies.TokenBinding> scopes(List<PersonalTokens.Scope> scopes) {
        return scopes.stream().map(s -> new AccessBodies.TokenBinding(s.role(), s.folderId(), s.folderPath())).toList();
    }
}
