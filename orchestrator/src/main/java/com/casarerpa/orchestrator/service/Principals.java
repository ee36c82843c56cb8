package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Principal;
import com.casarerpa.orchestrator.domain.ServiceAccount;
import com.casarerpa.orchestrator.domain.User;
import com.casarerpa.orchestrator.domain.UserGroup;
import com.casarerpa.orchestrator.store.GroupStore;
import com.casarerpa.orchestrator.store.ServiceAccountStore;
import com.casarerpa.orchestrator.store.UserStore;
import java.util.List;
import java.util.Optional;

/**
 * Finds the user, group or service account a request names, by id or by name (a username, a
 * group's or an account's name); 400 naming the field when there is none, or when an account's
 * name is shared by several (the id settles it).
 */
public final class Principals {
    private final UserStore users;
    private final GroupStore groups;
    private final ServiceAccountStore accounts;

    Principals(UserStore users, GroupStore groups, ServiceAccountStore accounts) {
        this.users = users;
        this.groups = groups;
        this.accounts = accounts;
    }

    /** A principal with the name it is shown by. */
    public record Named(Principal principal, String name) {}

    /**
     * @param field the JSON path of the principal in the request ({@code principal}), for errors
     */
    public Named resolve(String kind, String idOrName, String field) {
        String ref = idOrName == null ? "" : idOrName.strip();
        if (ref.isEmpty()) {
            throw new InvalidInputException(field + ".id", "give the " + kind.replace('_', ' ') + "'s id or name");
        }
        return switch (kind) {
            case Principal.USER -> user(ref).map(u -> new Named(new Principal(kind, u.id()), u.username()))
                    .orElseThrow(() -> absent(field, "user", ref));
            case Principal.GROUP -> groups.find(ref).or(() -> groups.findByName(ref))
                    .map(g -> new Named(new Principal(kind, g.id()), g.name()))
                    .orElseThrow(() -> absent(field, "group", ref));
            case Principal.SERVICE_ACCOUNT -> account(ref, field);
            default -> throw new InvalidInputException(field + ".kind", "expected one of " + String.join(", ", Principal.BINDABLE)
                    + ", got \"" + kind + "\"");
        };
    }

    /** The user of this id, or else of this username. */
    public Optional<User> user(String idOrName) {
        return users.findById(idOrName).or(() -> users.findByUsername(User.normalise(idOrName)));
    }

    public Optional<UserGroup> group(String idOrName) {
        return groups.find(idOrName).or(() -> groups.findByName(idOrName));
    }

    private Named account(String ref, String field) {
        Optional<ServiceAccount> byId = accounts.find(ref);
        if (byId.isPresent()) {
            return new Named(new Principal(Principal.SERVICE_ACCOUNT, byId.get().id()), byId.get().name());
        }
        List<ServiceAccount> named = accounts.named(ref);
        if (named.size() > 1) {
            throw new InvalidInputException(field + ".id", named.size() + " service accounts are named \"" + ref
                    + "\"; give the id of one: " + String.join(", ", named.stream().map(ServiceAccount::id).toList()));
        }
        return named.stream().findFirst().map(a -> new Named(new Principal(Principal.SERVICE_ACCOUNT, a.id()), a.name()))
                .orElseThrow(() -> absent(field, "service account", ref));
    }

    private static InvalidInputException absent(String field, String what, String ref) {
        return new InvalidInputException(field + ".id", "no " + what + " has the id or name \"" + ref + "\"");
    }
}
