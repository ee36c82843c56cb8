package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.RoleDefinition;
import com.casarerpa.orchestrator.store.BindingStore;
import com.casarerpa.orchestrator.store.RoleStore;
import com.casarerpa.orchestrator.store.UniqueViolationException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The roles bindings may name: the built-in ones ({@link RoleDefinition#builtInRoles()}, fixed)
 * and custom ones, made of permissions, created, changed and deleted here. A custom role is
 * deleted only while no binding names it, and holds only permissions its author holds at the root.
 */
public final class RoleCatalog {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,49}");
    private static final String NAME_RULE = "1 to 50 lower-case letters, digits and '_', starting with a letter";
    private static final int MAX_DESCRIPTION = 1000;

    private final RoleStore store;
    private final BindingStore bindings;
    private final AuditTrail audit;
    private final Clock clock;

    RoleCatalog(RoleStore store, BindingStore bindings, AuditTrail audit, Clock clock) {
        this.store = store;
        this.bindings = bindings;
        this.audit = audit;
        this.clock = clock;
    }

    /** The built-in roles, then the custom ones by name. */
    public List<RoleDefinition> list() {
        List<RoleDefinition> all = new ArrayList<>(RoleDefinition.builtInRoles());
        all.addAll(store.custom());
        return all;
    }

    public Optional<RoleDefinition> find(String name) {
        return RoleDefinition.builtInRole(name).or(() -> store.findCustom(name));
    }

    public RoleDefinition get(String name) {
        return find(name).orElseThrow(() -> new NotFoundException("Role " + name + " does not exist."));
    }

    /** The role a request field names; 400 naming the field when there is none. */
    RoleDefinition named(String name, String field) {
        return find(name == null ? "" : name.strip()).orElseThrow(() -> new InvalidInputException(field, "no role is named \""
                + name + "\"; the roles are " + list().stream().map(RoleDefinition::name).collect(Collectors.joining(", "))));
    }

    public RoleDefinition create(String name, String description, List<String> permissions, Actor by) {
        String n = name == null ? "" : name.strip();
        if (!NAME.matcher(n).matches()) {
            throw new InvalidInputException("name", "a role name is " + NAME_RULE + ", got \"" + n + "\"");
        }
        if (RoleDefinition.builtInRole(n).isPresent()) {
            throw new ConflictException("role " + n + " is built in; choose another name", Map.of("field", "name"));
        }
        RoleDefinition role = new RoleDefinition(n, TextFields.optional(description, "description", MAX_DESCRIPTION), false, permissions(permissions));
        Escalation.requireHeldEverywhere(by, role.permissions(), "Creating role " + n);
        audit.atomically(() -> {
            try {
                store.insert(role, clock.instant());
            } catch (UniqueViolationException e) {
                throw new ConflictException("a role named " + n + " exists already", Map.of("field", "name"));
            }
            audit.record(by, "role.create", "role", n, Map.of("permissions", wireNames(role.permissions())));
        });
        return role;
    }

    /** Changes a custom role's description or permissions (every binding of it follows at once). */
    public RoleDefinition update(String name, Optional<String> description, Optional<List<String>> permissions, Actor by) {
        RoleDefinition old = custom(name, "changed");
        RoleDefinition role = new RoleDefinition(old.name(), description.map(d -> TextFields.optional(d, "description", MAX_DESCRIPTION)).orElse(old.description()),
                false, permissions.map(RoleCatalog::permissions).orElse(old.permissions()));
        Escalation.requireHeldEverywhere(by, role.permissions(), "Changing role " + name);
        audit.atomically(() -> {
            store.update(role);
            audit.record(by, "role.update", "role", name, Map.of("permissions", wireNames(role.permissions()),
                    "previous_permissions", wireNames(old.permissions())));
        });
        return role;
    }

    /** Deletes a custom role no binding names. */
    public void delete(String name, Actor by) {
        custom(name, "deleted");
        audit.atomically(() -> {
            long bound = bindings.countOf(name);
            if (bound > 0) {
                throw new ConflictException("role " + name + " is still bound " + bound + " time(s); remove its bindings first",
                        Map.of("bindings", bound));
            }
            store.delete(name);
            audit.record(by, "role.delete", "role", name, Map.of());
        });
    }

    private RoleDefinition custom(String name, String verb) {
        RoleDefinition role = get(name);
        if (role.builtIn()) {
            throw new ConflictException("role " + name + " is built in and cannot be " + verb, Map.of("role", name));
        }
        return role;
    }

    private static Set<Permission> permissions(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw new InvalidInputException("permissions", "a role needs at least one permission");
        }
        EnumSet<Permission> out = EnumSet.noneOf(Permission.class);
        for (int i = 0; i < names.size(); i++) {
            String p = names.get(i);
            String field = "permissions[" + i + "]";
            out.add(Permission.fromWire(p).orElseThrow(() -> new InvalidInputException(field,
                    "unknown permission \"" + p + "\"; known: " + Arrays.stream(Permission.values()).map(Permission::wireName)
                            .collect(Collectors.joining(", ")))));
        }
        return out;
    }

    static List<String> wireNames(Set<Permission> permissions) {
        return permissions.stream().sorted().map(Permission::wireName).toList();
    }
}
