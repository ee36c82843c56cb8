package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.User;
import com.casarerpa.orchestrator.domain.UserIdentity;
import com.casarerpa.orchestrator.store.UniqueViolationException;
import com.casarerpa.orchestrator.store.UserIdentityStore;
import com.casarerpa.orchestrator.store.UserStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an administrator does with users' single sign-on identities: list them, link one to a
 * user (the only way an identity reaches an existing user: sign-in never links by email), and
 * remove a link. Each change is recorded in the audit trail.
 */
public final class UserIdentities {
    private final UserIdentityStore store;
    private final UserStore users;
    private final AuditTrail audit;
    private final Clock clock;

    public UserIdentities(UserIdentityStore store, UserStore users, AuditTrail audit, Clock clock) {
        this.store = store;
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    /** @throws NotFoundException for an unknown user */
    public List<UserIdentity> of(String userId) {
        requireUser(userId);
        return store.identitiesOf(userId);
    }

    /**
     * Links {@code (issuer, subject)} to a user: from then on that identity signs in as this user.
     *
     * @throws InvalidInputException for an empty or too long issuer or subject
     * @throws NotFoundException     for an unknown user
     * @throws ConflictException     when the identity is linked already (to this user or another)
     */
    public UserIdentity link(String userId, String issuer, String subject, Actor by) {
        String iss = required("issuer", issuer, OidcAccounts.MAX_ISSUER);
        String sub = required("subject", subject, OidcAccounts.MAX_SUBJECT);
        User user = requireUser(userId);
        UserIdentity identity = new UserIdentity(iss, sub, user.id(), Optional.empty(), clock.instant());
        try {
            audit.atomically(() -> {
                store.insertIdentity(identity);
                audit.record(by, "user.identity_link", "user", user.id(), Map.of("issuer", iss, "subject", sub));
            });
        } catch (UniqueViolationException e) {
            String owner = store.userIdOf(iss, sub).flatMap(users::findById).map(a -> "user " + a.username() + " (" + a.id() + ")")
                    .orElse("another user");
            throw new ConflictException("this identity (issuer " + iss + ", subject " + sub + ") is linked to " + owner
                    + " already; remove that link first", Map.of("field", "subject"));
        }
        return identity;
    }

    /**
     * Removes a link; the identity's next sign-in creates a new user (or is refused when users
     * are not created automatically).
     *
     * @throws NotFoundException for an unknown user, or a user without this identity
     */
    public void unlink(String userId, String issuer, String subject, Actor by) {
        User user = requireUser(userId);
        audit.atomically(() -> {
            if (!store.deleteIdentity(user.id(), issuer, subject)) {
                throw new NotFoundException("user " + user.username() + " has no identity with issuer " + issuer + " and subject "
                        + subject);
            }
            audit.record(by, "user.identity_unlink", "user", user.id(), Map.of("issuer", issuer, "subject", subject));
        });
    }

    private User requireUser(String userId) {
        return users.findById(userId).orElseThrow(() -> new NotFoundException("user " + userId + " does not exist"));
    }

    private static String required(String field, String value, int max) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty() || v.length() > max) {
            throw new InvalidInputException(field, "must be 1 to " + max + " characters");
        }
        return v;
    }
}
