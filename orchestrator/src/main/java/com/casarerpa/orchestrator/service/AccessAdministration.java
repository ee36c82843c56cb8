package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.store.AccessStore;
import com.casarerpa.orchestrator.store.BindingStore;
import com.casarerpa.orchestrator.store.FolderStore;
import com.casarerpa.orchestrator.store.GroupStore;
import com.casarerpa.orchestrator.store.RoleStore;
import com.casarerpa.orchestrator.store.ServiceAccountStore;
import com.casarerpa.orchestrator.store.UserStore;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * The administration of access over one database (docs/access.md): folders, their bindings,
 * groups, service accounts, custom roles and personal tokens, assembled the same way for the
 * server and the CLI.
 */
public record AccessAdministration(Folders folders, Bindings bindings, Groups groups, ServiceAccounts serviceAccounts,
        RoleCatalog roles, PersonalTokens personalTokens) {

    /**
     * @param jdbi                 the one {@link com.casarerpa.orchestrator.store.Jdbi3#of} of the database
     * @param personalTokenMaxDays {@code auth.personal_token_max_days}
     */
    public static AccessAdministration on(Jdbi jdbi, AuditTrail audit, ApiKeys keys, Clock clock, int personalTokenMaxDays) {
        AccessStore access = new AccessStore(jdbi);
        FolderLookup lookup = new FolderLookup(new AccessControl(access));
        BindingStore bindingStore = new BindingStore(jdbi);
        GroupStore groupStore = new GroupStore(jdbi);
        ServiceAccountStore accountStore = new ServiceAccountStore(jdbi);
        Principals principals = new Principals(new UserStore(jdbi), groupStore, accountStore);
        RoleCatalog roles = new RoleCatalog(new RoleStore(jdbi), bindingStore, audit, clock);
        Bindings bindings = new Bindings(lookup, bindingStore, principals, roles, audit, clock);
        return new AccessAdministration(
                new Folders(lookup, new FolderStore(jdbi), audit, clock),
                bindings,
                new Groups(groupStore, principals, bindings, audit, clock),
                new ServiceAccounts(accountStore, access, keys, bindings, audit, clock),
                roles,
                new PersonalTokens(keys, lookup, roles, bindingStore, personalTokenMaxDays, clock));
    }
}
