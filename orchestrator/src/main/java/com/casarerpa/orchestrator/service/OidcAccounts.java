package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.Grants;
import com.casarerpa.orchestrator.domain.UserIdentity;
import com.casarerpa.orchestrator.store.GroupMemberships;
import com.casarerpa.orchestrator.store.UniqueViolationException;
import com.casarerpa.orchestrator.store.UserIdentityStore;
import com.casarerpa.orchestrator.store.UserIdentityStore.Account;
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

/**
 * Turns a verified {@link OidcIdentity} into a signed-in user. The user is found by the
 * identity's {@code (issuer, subject)} only; an identity no user is linked to gets a new user
 * when {@code oidc.auto_create_users} is on, never an existing user with the same email or
 * username (an administrator links accounts explicitly: {@link UserIdentities#link}). A disabled
 * user is refused. At each sign-in the user's group memberships of source {@code oidc} become
 * exactly the groups whose {@code external_name} the groups claim lists; memberships an
 * administrator made ({@code local}) are left alone. The user, the link, the memberships and the
 * audit events ({@code user.create}, {@code user.sign_in}) commit together.
 */
public final class OidcAccounts {
    /** A first sign-in may race another for the same username or subject: it is tried again this often. */
    private static final int ATTEMPTS = 3;
    static final int MAX_SUBJECT = 255;
    static final int MAX_ISSUER = 500;

    private final UserIdentityStore identities;
    private final GroupMemberships memberships;
    private final AuditTrail audit;
    private final boolean autoCreateUsers;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public OidcAccounts(UserIdentityStore identities, GroupMemberships memberships, AuditTrail audit, boolean autoCreateUsers,
            Clock clock) {
        this.identities = identities;
        this.memberships = memberships;
        this.audit = audit;
        this.autoCreateUsers = autoCreateUsers;
        this.clock = clock;
    }

    /**
     * @param userId   the signed-in user
     * @param username its username
     * @param created  whether this sign-in created it
     * @param groupIds the groups the groups claim made it a member of
     */
    public record SignedInUser(String userId, String username, boolean created, Set<String> groupIds) {
        public SignedInUser {
            groupIds = Set.copyOf(groupIds);
        }
    }

    /**
     * Signs in the person of {@code identity}.
     *
     * @throws SignInRefused 403 for a disabled user, or an unknown identity while users are not
     *                       created automatically; 401 for a subject longer than OpenID Connect allows
     */
    public SignedInUser signIn(OidcIdentity identity) {
        if (identity.subject().isEmpty() || identity.subject().length() > MAX_SUBJECT || identity.issuer().length() > MAX_ISSUER) {
            throw SignInRefused.unauthenticated("id_token_invalid", "the ID token's subject is empty or longer than "
                    + MAX_SUBJECT + " characters, which OpenID Connect does not allow");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return audit.atomically(() -> signInOnce(identity));
            } catch (UniqueViolationException e) {
                // Another sign-in took the username or linked the subject in the meantime: look again.
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private SignedInUser signInOnce(OidcIdentity identity) {
        Instant now = clock.instant();
        Optional<Account> linked = identities.accountOf(identity.issuer(), identity.subject());
        Account account;
        if (linked.isPresent()) {
            account = linked.get();
            if (!account.active()) {
                throw SignInRefused.forbidden("user_disabled", "user " + account.username() + " is disabled; ask an"
                        + " administrator to enable it");
            }
        } else if (autoCreateUsers) {
            account = create(identity, now);
        } else {
            throw SignInRefused.forbidden("not_linked", "no user is linked to this identity (issuer " + identity.issuer()
                    + ", subject " + identity.subject() + ") and oidc.auto_create_users is off; ask an administrator to link it"
                    + " to your user (POST /api/v1/users/{id}/identities)");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("method", "oidc");
        details.put("issuer", identity.issuer());
        Set<String> groups = syncGroups(account.id(), identity.groups(), details);
        identities.recordSignIn(identity.issuer(), identity.subject(), account.id(), identity.email(), now);
        audit.record(actorOf(account), "user.sign_in", "user", account.id(), details);
        return new SignedInUser(account.id(), account.username(), linked.isEmpty(), groups);
    }

    private Account create(OidcIdentity identity, Instant now) {
        String username = Usernames.unique(Usernames.fromIdentity(identity), identities.usernamesLike(
                Usernames.fromIdentity(identity)));
        String display = identity.name().or(identity::username).orElse(username);
        Account account = new Account("usr_" + HexFormat.of().formatHex(bytes(8)), username,
                display.length() > 200 ? display.substring(0, 200) : display,
                identity.email().filter(e -> e.length() <= 320), "active");
        identities.insertAccount(account, now, actorOf(account).describe());
        identities.insertIdentity(new UserIdentity(identity.issuer(), identity.subject(), account.id(),
                identity.email().filter(e -> e.length() <= 320), now));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("via", "oidc");
        details.put("username", username);
        details.put("issuer", identity.issuer());
        details.put("subject", identity.subject());
        audit.record(actorOf(account), "user.create", "user", account.id(), details);
        return account;
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
    static Actor actorOf(Account account) {
        return new Actor("user", account.id(), account.username(), Grants.none(), false, Optional.empty());
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
