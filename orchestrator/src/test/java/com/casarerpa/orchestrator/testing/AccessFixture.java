package com.casarerpa.orchestrator.testing;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Principal;
import com.casarerpa.orchestrator.service.AccessAdministration;
import com.casarerpa.orchestrator.service.AccessControl;
import com.casarerpa.orchestrator.service.ApiKeys;
import com.casarerpa.orchestrator.service.PasswordHasher;
import com.casarerpa.orchestrator.service.PasswordTokens;
import com.casarerpa.orchestrator.service.SignInPolicy;
import com.casarerpa.orchestrator.service.Users;
import com.casarerpa.orchestrator.store.AccessStore;
import com.casarerpa.orchestrator.store.ApiKeyStore;
import com.casarerpa.orchestrator.store.AuditStore;
import com.casarerpa.orchestrator.store.BindingStore;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.PasswordResetStore;
import com.casarerpa.orchestrator.store.SessionStore;
import com.casarerpa.orchestrator.store.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The access administration over a test's database, with people made by SQL (until sign-in
 * makes them) and their actors as authentication would build them: with their grants read now.
 */
public final class AccessFixture {
    /** The local administrator of the CLI: admin everywhere, not bound by any binding. */
    public static final Actor CLI = Actor.localCli();

    public final Jdbi jdbi;
    public final AuditStore audit;
    public final ApiKeys keys;
    public final AccessControl control;
    public final AccessAdministration access;
    /** People's accounts as admins manage them (cheap password hashing). */
    public final Users users;

    public AccessFixture(Database database, Clock clock) {
        this(database, clock, 90);
    }

    public AccessFixture(Database database, Clock clock, int personalTokenMaxDays) {
        jdbi = Jdbi3.of(database);
        audit = new AuditStore(jdbi, clock);
        AccessStore store = new AccessStore(jdbi);
        keys = new ApiKeys(new ApiKeyStore(jdbi), store, audit, clock);
        control = new AccessControl(store);
        access = AccessAdministration.on(jdbi, audit, keys, clock, personalTokenMaxDays);
        PasswordHasher hasher = new PasswordHasher(new PasswordHasher.Params(64, 1, 1));
        SignInPolicy policy = new SignInPolicy(new PasswordHasher.Params(64, 1, 1), 12, 5, Duration.ofMinutes(15),
                Duration.ofMinutes(15), Duration.ofHours(12), Duration.ofHours(24));
        UserStore userStore = new UserStore(jdbi);
        SessionStore sessions = new SessionStore(jdbi);
        users = new Users(userStore, sessions, new BindingStore(jdbi), new PasswordTokens(new PasswordResetStore(jdbi), userStore,
                sessions, hasher, policy, audit, clock), hasher, policy, audit, clock);
    }

    /** A new active user ({@code usr_<username>}) made by SQL; its id. */
    public String user(String username) {
        String id = "usr_" + username;
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO users (id, username, display_name, status, created_at, created_by, updated_at)"
                        + " VALUES (:id, :username, :username, 'active', CURRENT_TIMESTAMP, 'test', CURRENT_TIMESTAMP)")
                .bind("id", id).bind("username", username).execute());
        return id;
    }

    /** The one number a query answers ({@code SELECT COUNT(*) …}). */
    public long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    /** The first column of every row of a query. */
    public java.util.List<String> strings(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }

    public void setUserStatus(String userId, String status) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET status = :status WHERE id = :id").bind("status", status).bind("id", userId)
                .execute());
    }

    /** The signed-in user as authentication would make it: with the grants its bindings give now. */
    public Actor person(String userId) {
        return Actor.user(userId, userId.substring(4), control.grantsOf(Principal.USER, userId));
    }

    /** Binds a principal (by id or name) to a role in a folder (by id or path), as the CLI does; the binding's id. */
    public String bind(String kind, String principal, String role, String folder) {
        return access.bindings().grant(folder, kind, principal, role, CLI).binding().id();
    }

    /** A folder made by the CLI below {@code parent} (an id or path); its id. */
    public String folder(String parent, String name) {
        return access.folders().create(name, Optional.of(parent), "", CLI).folder().id();
    }
}
