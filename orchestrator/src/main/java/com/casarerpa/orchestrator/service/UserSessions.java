package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.User;
import com.casarerpa.orchestrator.store.SessionStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Sessions of signed-in people. An API session gives a short-lived access token ({@link UserTokens})
 * and a refresh token that is replaced at each refresh (the old one stops working); a dashboard
 * session is an opaque cookie with a CSRF token, opened by a person or (no users yet) with an API key. Both last {@code auth.session_hours} from the
 * sign-in. Every use reads the session and the user from the database, and what the user may do
 * from its bindings ({@link AccessControl}): logout, a disabled user and a role change count at
 * once, on every instance.
 */
public final class UserSessions {
    public static final String API = "api";
    public static final String DASHBOARD = "dashboard";
    private static final String REFRESH_PREFIX = "crpr_";
    private static final String COOKIE_PREFIX = "crps_";
    private static final String CSRF_PREFIX = "crpc_";

    private final SessionStore store;
    private final ApiKeys keys;
    private final UserTokens tokens;
    private final AccessControl access;
    private final SignInPolicy policy;
    private final AuditTrail audit;
    private final Clock clock;
    private final SecretTokens secrets = new SecretTokens();
    private final SecureRandom random = new SecureRandom();

    public UserSessions(SessionStore store, ApiKeys keys, UserTokens tokens, AccessControl access, SignInPolicy policy,
            AuditTrail audit, Clock clock) {
        this.store = store;
        this.keys = keys;
        this.tokens = tokens;
        this.access = access;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
    }

    /** An API session's tokens: both shown once. */
    public record ApiTokens(String sessionId, String accessToken, Instant accessExpiresAt, String refreshToken,
            Instant sessionExpiresAt) {}

    /** A dashboard session: the cookie's value and the CSRF token, both shown once. */
    public record DashboardSession(String sessionId, String cookie, String csrfToken, Instant expiresAt) {}

    /** Opens an API session for a user who just signed in (in the caller's transaction). */
    ApiTokens openApi(User user, String clientAddress) {
        Instant now = clock.instant();
        String id = newId();
        String refresh = secrets.next(REFRESH_PREFIX);
        Instant expires = now.plus(policy.session());
        store.insert(id, SessionStore.Owner.user(user.id()), API, SecretTokens.hash(refresh), Optional.empty(), now, expires, clientAddress);
        return tokensOf(id, user.id(), user.username(), refresh, now, expires);
    }

    /** Opens a dashboard session for a user who just signed in (in the caller's transaction). */
    DashboardSession openDashboard(User user, String clientAddress) {
        return openDashboard(SessionStore.Owner.user(user.id()), Optional.empty(), clientAddress);
    }

    /**
     * Opens a dashboard session with an API key (for installations with no users yet): it lasts
     * {@code auth.session_hours}, never beyond the key's expiry, and ends when the key is revoked.
     * A robot's key opens none.
     *
     * @throws NotAuthenticated for an unknown, revoked or expired key
     * @throws ForbiddenException for a robot's key
     */
    public DashboardSession openDashboard(String apiKey, String clientAddress) {
        Actor caller = keys.authenticate(apiKey);
        if (caller.robot()) {
            throw new ForbiddenException("a robot's API key cannot sign in to the dashboard; use an admin, operator or viewer key,"
                    + " or sign in as a person");
        }
        ApiKey key = keys.activeKey(caller.id());
        return audit.atomically(() -> {
            DashboardSession session = openDashboard(SessionStore.Owner.apiKey(key.id()), key.expiresAt(), clientAddress);
            audit.record(caller, "api_key.dashboard_login", "api_key", key.id(), Map.of("name", key.name()));
            return session;
        });
    }

    private DashboardSession openDashboard(SessionStore.Owner owner, Optional<Instant> notAfter, String clientAddress) {
        Instant now = clock.instant();
        String id = newId();
        String cookie = secrets.next(COOKIE_PREFIX);
        String csrf = secrets.next(CSRF_PREFIX);
        Instant expires = now.plus(policy.session());
        if (notAfter.isPresent() && notAfter.get().isBefore(expires)) {
            expires = notAfter.get();
        }
        store.insert(id, owner, DASHBOARD, SecretTokens.hash(cookie), Optional.of(SecretTokens.hash(csrf)), now, expires,
                clientAddress);
        return new DashboardSession(id, cookie, csrf, expires);
    }

    /**
     * A new access token and a new refresh token for a live API session; the refresh token given
     * stops working.
     *
     * @throws NotAuthenticated for an unknown, used, revoked or expired refresh token, or a disabled user
     */
    public ApiTokens refresh(String refreshToken) {
        Instant now = clock.instant();
        String oldHash = SecretTokens.hash(refreshToken == null ? "" : refreshToken);
        SessionStore.LiveSession s = store.liveByTokenHash(oldHash, now).filter(l -> l.kind().equals(API))
                .orElseThrow(() -> new NotAuthenticated("the refresh token is unknown, used, revoked or expired,"
                        + " or its user is disabled; sign in again"));
        String refresh = secrets.next(REFRESH_PREFIX);
        if (!store.rotate(s.id(), oldHash, SecretTokens.hash(refresh), now)) {
            throw new NotAuthenticated("the refresh token was used already; sign in again");
        }
        return tokensOf(s.id(), s.userId().orElseThrow(), s.name(), refresh, now, s.expiresAt());
    }

    /** Ends a session (logout); ending it twice is harmless. */
    public void revoke(String sessionId, Actor by) {
        audit.atomically(() -> {
            if (store.revoke(sessionId, clock.instant())) {
                audit.record(by, "user.logout", "user_session", sessionId, Map.of("username", by.name()));
            }
        });
    }

    /** The session a refresh token belongs to, when it is live and the caller's own. */
    public Optional<String> sessionOfRefreshToken(String refreshToken, Actor caller) {
        return store.liveByTokenHash(SecretTokens.hash(refreshToken), clock.instant())
                .filter(s -> s.ofUser(caller.id()))
                .map(SessionStore.LiveSession::id);
    }

    /** The caller of a person's access token, with what it may do now. */
    public Caller authenticateToken(String accessToken) {
        UserTokens.Claims claims = tokens.verify(accessToken);
        SessionStore.LiveSession s = store.liveById(claims.sessionId(), clock.instant())
                .filter(l -> l.ofUser(claims.userId()))
                .orElseThrow(() -> new NotAuthenticated("the session of this token ended (logout, disabled user or expiry);"
                        + " sign in again"));
        return new Caller(actorOf(s), Optional.of(s.id()), Optional.empty());
    }

    /** The caller of a dashboard session cookie, with its session's CSRF hash. */
    public Caller authenticateCookie(String cookie) {
        SessionStore.LiveSession s = store.liveByTokenHash(SecretTokens.hash(cookie), clock.instant())
                .filter(l -> l.kind().equals(DASHBOARD))
                .orElseThrow(() -> new NotAuthenticated("the session cookie is unknown or its session ended; sign in again"));
        return new Caller(actorOf(s), Optional.of(s.id()), s.csrfHash());
    }

    private Actor actorOf(SessionStore.LiveSession s) {
        if (s.apiKeyId().isPresent()) {
            return keys.actorOf(keys.activeKey(s.apiKeyId().get()));
        }
        String user = s.userId().orElseThrow();
        return Actor.user(user, s.name(), access.grantsOf(Actor.USER, user));
    }

    private ApiTokens tokensOf(String sessionId, String userId, String username, String refresh, Instant now,
            Instant sessionExpires) {
        Instant accessExpires = now.plus(policy.accessToken());
        if (accessExpires.isAfter(sessionExpires)) {
            accessExpires = sessionExpires;
        }
        return new ApiTokens(sessionId, tokens.issue(userId, username, sessionId, now, accessExpires), accessExpires, refresh,
                sessionExpires);
    }

    /** Seconds from now until {@code at}, never negative (the {@code expires_in} of a token answer). */
    public long secondsUntil(Instant at) {
        return Math.max(0, Duration.between(clock.instant(), at).toSeconds());
    }

    private String newId() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return "ses_" + HexFormat.of().formatHex(b);
    }
}
