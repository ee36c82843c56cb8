package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.Grants;
import com.casarerpa.orchestrator.domain.User;
import com.casarerpa.orchestrator.domain.UserIdentity;
import com.casarerpa.orchestrator.store.GroupMemberships;
import com.casarerpa.orchestrator.store.UniqueViolationException;
import com.casarerpa.orchestrator.store.UserIdentityStore;
import com.casarerpa.orchestrator.store.UserStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a verified {@link OidcIdentity} into a signed-in user with a session. The user is found
 * by the identity's {@code (issuer, subject)} only; an identity no user is linked to gets a new
 * user when {@code oidc.auto_create_users} is on, never an existing user with the same email or
 * username (an administrator links accounts explicitly: {@link UserIdentities#link}). A disabled
 * user is refused; a password lockout is not (this sign-in did not use the password). At each
 * sign-in the user's group memberships of source {@code oidc} become exactly the groups whose
 * {@code external_name} the groups claim lists; memberships an administrator made
 * ({@code local}) are left alone. The user, the link, the memberships, the session and the audit
 * events ({@code user.create}, {@code user.login} with {@code method: oidc}) commit together.
 */
public final class OidcAccounts {
    /** A first sign-in may race another for the same username or subject: it is tried again this often. */
    private static final int ATTEMPTS = 3;
    static final int MAX_SUBJECT = 255;
    static final int MAX_ISSUER = 500;
    private static final int MAX_EMAIL = 320;
    private static final int MAX_DISPLAY_NAME = 200;

    private final UserStore users;
    private final UserIdentityStore identities;
    private final GroupMemberships memberships;
    private final AuditTrail audit;
    private final boolean autoCreateUsers;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public OidcAccounts(UserStore users, UserIdentityStore identities, GroupMemberships memberships, AuditTrail audit,
            boolean autoCreateUsers, Clock clock) {
        this.users = users;
        this.identities = identities;
        this.memberships = memberships;
        this.audit = audit;
        this.autoCreateUsers = autoCreateUsers;
        this.clock = clock;
    }

    /**
     * @param user     the signed-in user
     * @param created  whether this sign-in created it
     * @param groupIds the groups the groups claim made it a member of
     * @param session  the session opened for it
     */
    public record SignedInUser<S>(User user, boolean created, Set<String> groupIds, S session) {
        public SignedInUser {
            groupIds = Set.copyOf(groupIds);
        }
    }

    /** How the session of a sign-in is opened (in its transaction), and its kind for the audit trail. */
    public record SessionOpener<S>(String kind, Function<User, S> open) {}

    /**
     * Signs in the person of {@code identity} and opens a session.
     *
     * @throws SignInRefused 403 for a disabled user, or an unknown identity while users are not
     *                       created automatically; 401 for a subject longer than OpenID Connect allows
     */
    public <S> SignedInUser<S> signIn(OidcIdentity identity, SessionOpener<S> session) {
        if (identity.subject().isEmpty() || identity.subject().length() > MAX_SUBJECT || identity.issuer().length() > MAX_ISSUER) {
            throw SignInRefused.unauthenticated("id_token_invalid", "the ID token's subject is empty or longer than "
                    + MAX_SUBJECT + " characters, which OpenID Connect does not allow");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return audit.atomically(() -> signInOnce(identity, session));
            } catch (UniqueViolationException e) {
                // Another sign-in took the username or linked the subject in the meantime: look again.
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private <S> SignedInUser<S> signInOnce(OidcIdentity identity, SessionOpener<S> session) {
        Instant now = clock.instant();
        Optional<User> linked = identities.userIdOf(identity.issuer(), identity.subject()).flatMap(users::findById);
        User user;
        if (linked.isPresent()) {
            user = linked.get();
            if (!user.active()) {
                throw SignInRefused.forbidden("user_disabled", "user " + user.username() + " is disabled; ask an"
                        + " administrator to enable it");
            }
        } else if (autoCreateUsers) {
            user = create(identity, now);
        } else {
            throw SignInRefused.forbidden("not_linked", "no user is linked to this identity (issuer " + identity.issuer()
                    + ", subject " + identity.subject() + ") and oidc.auto_create_users is off; ask an administrator to link it"
                    + " to your user (POST /api/v1/users/{id}/identities)");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("username", user.username());
        details.put("session_kind", session.kind());
        details.put("method", "oidc");
        details.put("issuer", identity.issuer());
        Set<String> groups = syncGroups(user.id(), identity.groups(), details);
        identities.recordSignIn(identity.issuer(), identity.subject(), user.id(), identity.email().filter(e -> e.length() <= MAX_EMAIL),
                now);
        S opened = session.open().apply(user);
        audit.record(self(user), "user.login", "user", user.id(), details);
        return new SignedInUser<>(user, linked.isEmpty(), groups, opened);
    }

    private User create(OidcIdentity identity, Instant now) {
        String base = Usernames.fromIdentity(identity);
        String username = Usernames.unique(base, identities.usernamesLike(base));
        String display = identity.name().or(identity::username).orElse(username);
        String id = "usr_" + HexFormat.of().formatHex(bytes(8));
        Optional<String> email = identity.email().filter(e -> e.length() <= MAX_EMAIL);
        User user = new User(id, username, email, display.length() > MAX_DISPLAY_NAME ? display.substring(0, MAX_DISPLAY_NAME)
                : display, User.Status.ACTIVE, now, Actor.USER + ":" + id + " (" + username + ") via oidc", now, Optional.empty(),
                Optional.empty());
        users.insert(user, Optional.empty());
        identities.insertIdentity(new UserIdentity(identity.issuer(), identity.subject(), id, email, now));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("username", username);
        details.put("via", "oidc");
        details.put("issuer", identity.issuer());
        details.put("subject", identity.subject());
        audit.record(self(user), "user.create", "user", id, details);
        return user;
    }

    /** Makes the user's {@code oidc} memberships those the claim names; notes the changes in {@code details}. */
    private Set<String> syncGroups(String userId, List<String> claimed, Map<String, Object> details) {
        Set<String> wanted = new HashSet<>(memberships.groupsByExternalName(claimed).values());
        Map<String, String> current = memberships.membershipsOf(userId);
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (String group : wanted) {
            if (!current.containsKey(group)) {
                memberships.add(group, userId, GroupMemberships.OIDC);
                added.add(group);
            }
        }
        current.forEach((group, source) -> {
            if (source.equals(GroupMemberships.OIDC) && !wanted.contains(group)) {
                memberships.remove(group, userId, GroupMemberships.OIDC);
                removed.add(group);
            }
        });
        if (!added.isEmpty()) {
            details.put("groups_added", added.stream().sorted().toList());
        }
        if (!removed.isEmpty()) {
            details.put("groups_removed", removed.stream().sorted().toList());
        }
        return wanted;
    }

    /** The user as the actor of its own sign-in (its grants are not needed to record it). */
    private static Actor self(User user) {
        return Actor.user(user.id(), user.username(), Grants.none());
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
