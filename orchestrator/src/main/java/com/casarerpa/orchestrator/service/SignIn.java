package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.Grants;
import com.casarerpa.orchestrator.domain.User;
import com.casarerpa.orchestrator.store.UserStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Password sign-in. Every refusal is the same {@link NotAuthenticated}, whether the username is
 * unknown, the password wrong, or the account locked or disabled, and costs the same one hash
 * check, so neither the answer nor its timing tells whether an account exists. The
 * {@code auth.lockout_attempts}-th failure in a row locks the account for {@code auth.lockout_minutes};
 * a success forgets the failures. A hash made with other Argon2 parameters than the configured
 * ones is made anew at a successful sign-in.
 */
public final class SignIn {
    static final String REFUSED = "sign-in refused: wrong username or password (an account is locked for a while after"
            + " repeated failures)";

    private final UserStore users;
    private final UserSessions sessions;
    private final PasswordHasher hasher;
    private final SignInPolicy policy;
    private final AuditTrail audit;
    private final Clock clock;

    public SignIn(UserStore users, UserSessions sessions, PasswordHasher hasher, SignInPolicy policy, AuditTrail audit,
            Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.hasher = hasher;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
    }

    /** A user signed in, and its session. */
    public record SignedIn<S>(User user, S session) {}

    /** Signs in for the API: an access token and a refresh token. */
    public SignedIn<UserSessions.ApiTokens> api(String username, String password, String clientAddress) {
        return signIn(username, password, clientAddress, UserSessions.API, sessions::openApi);
    }

    /** Signs in for the dashboard: a session cookie and its CSRF token. */
    public SignedIn<UserSessions.DashboardSession> dashboard(String username, String password, String clientAddress) {
        return signIn(username, password, clientAddress, UserSessions.DASHBOARD, sessions::openDashboard);
    }

    private <S> SignedIn<S> signIn(String username, String password, String clientAddress, String kind,
            BiFunction<User, String, S> open) {
        String pass = password == null ? "" : password;
        if (pass.length() > SignInPolicy.PASSWORD_MAX_LENGTH) {
            throw new NotAuthenticated(REFUSED);
        }
        Optional<UserStore.Credentials> found = users.credentials(User.normalise(username));
        Instant now = clock.instant();
        if (found.isEmpty() || found.get().passwordHash().isEmpty() || !usable(found.get().user(), now)) {
            hasher.spend(pass);
            throw new NotAuthenticated(REFUSED);
        }
        UserStore.Credentials c = found.get();
        String hash = c.passwordHash().get();
        if (!hasher.matches(pass, hash)) {
            failed(c.user(), now);
            throw new NotAuthenticated(REFUSED);
        }
        Optional<String> rehashed = hasher.outdated(hash) ? Optional.of(hasher.hash(pass)) : Optional.empty();
        return audit.atomically(() -> {
            users.recordSuccess(c.user().id(), now);
            rehashed.ifPresent(h -> users.rehash(c.user().id(), h));
            S session = open.apply(c.user(), clientAddress);
            audit.record(self(c.user()), "user.login", "user", c.user().id(), Map.of("username", c.user().username(),
                    "session_kind", kind, "rehashed", rehashed.isPresent()));
            return new SignedIn<>(c.user(), session);
        });
    }

    private static boolean usable(User user, Instant now) {
        return user.active() && user.lockedUntil().map(until -> !until.isAfter(now)).orElse(true);
    }

    private void failed(User user, Instant now) {
        audit.atomically(() -> {
            if (users.recordFailure(user.id(), policy.lockoutAttempts(), now.plus(policy.lockout()))) {
                audit.record(self(user), "user.lock", "user", user.id(), Map.of("username", user.username(),
                        "failed_attempts", policy.lockoutAttempts(), "locked_minutes", policy.lockout().toMinutes()));
            }
        });
    }

    private static Actor self(User user) {
        return Actor.user(user.id(), user.username(), Grants.none());
    }
}
