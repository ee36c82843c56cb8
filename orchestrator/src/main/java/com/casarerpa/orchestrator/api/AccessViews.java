package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.orchestrator.domain.Binding;
import com.casarerpa.orchestrator.domain.RoleDefinition;
import com.casarerpa.orchestrator.domain.ServiceAccount;
import com.casarerpa.orchestrator.domain.UserGroup;
import com.casarerpa.orchestrator.service.Bindings;
import com.casarerpa.orchestrator.service.Folders;
import com.casarerpa.orchestrator.service.Groups;
import com.casarerpa.orchestrator.service.PersonalTokens;
import com.casarerpa.orchestrator.service.ServiceAccounts;
import com.casarerpa.protocol.rest.AccessBodies;
import java.time.Instant;
import java.util.List;

/** The access administration's results as the API shows them ({@link AccessBodies}). */
final class AccessViews {
    private AccessViews() {}

    static AccessBodies.Folder folder(Folders.Shown s) {
        var f = s.folder();
        return new AccessBodies.Folder(f.id(), f.name(), s.path(), f.parentId().orElse(null), f.description(), f.createdAt(),
                f.createdBy(), s.visible());
    }

    static AccessBodies.Binding binding(Bindings.Shown s) {
        return binding(s.binding(), s.folderPath(), s.inherited());
    }

    static AccessBodies.Binding binding(Binding b, String folderPath, boolean inherited) {
        return new AccessBodies.Binding(b.id(), new AccessBodies.Principal(b.principal().kind(), b.principal().id(), b.principalName()),
                b.roleName(), b.folderId(), folderPath, inherited, b.createdAt(), b.createdBy());
    }

    static AccessBodies.Group group(UserGroup g) {
        return new AccessBodies.Group(g.id(), g.name(), g.description(), g.externalName().orElse(null), g.members(), g.createdAt(),
                g.createdBy());
    }

    static AccessBodies.GroupDetail group(Groups.Detail d) {
        return new AccessBodies.GroupDetail(group(d.group()), d.members().stream()
                .map(m -> new AccessBodies.GroupMember(m.userId(), m.username(), m.status(), m.source())).toList());
    }

    static AccessBodies.ServiceAccount account(ServiceAccount a) {
        return new AccessBodies.ServiceAccount(a.id(), a.name(), a.description(), a.disabled() ? "disabled" : "active",
                a.createdAt(), a.createdBy(), a.disabledAt().orElse(null));
    }

    static AccessBodies.ServiceAccountDetail account(ServiceAccounts.Detail d, Instant now) {
        return new AccessBodies.ServiceAccountDetail(account(d.account()),
                d.keys().stream().map(k -> ApiKeyView.of(k, now)).toList(),
                d.bindings().stream().map(AccessViews::binding).toList());
    }

    static AccessBodies.RoleDefinition role(RoleDefinition r) {
        return new AccessBodies.RoleDefinition(r.name(), r.description(), r.builtIn(),
                r.permissions().stream().sorted().map(p -> p.wireName()).toList());
    }

    static AccessBodies.PersonalToken token(PersonalTokens.Token t, Instant now) {
        return new AccessBodies.PersonalToken(ApiKeyView.of(t.key(), now), scopes(t.scopes()));
    }

    static AccessBodies.CreatedPersonalToken created(PersonalTokens.Issued issued) {
        ApiKey k = issued.token().key();
        return new AccessBodies.CreatedPersonalToken(k.id(), k.name(), issued.plaintext(), k.createdAt(), k.expiresAt().orElse(null),
                scopes(issued.token().scopes()));
    }

    private static List<AccessBodies.TokenBinding> scopes(List<PersonalTokens.Scope> scopes) {
        return scopes.stream().map(s -> new AccessBodies.TokenBinding(s.role(), s.folderId(), s.folderPath())).toList();
    }
}
