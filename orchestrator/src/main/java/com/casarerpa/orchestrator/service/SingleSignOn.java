package com.casarerpa.orchestrator.service;

import com.casarerpa.common.config.Secret;
import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.domain.User;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;

/**
 * Single sign-on through an OpenID Connect provider, as two steps of the browser's journey.
 * {@link #start} makes a {@link LoginTransaction} (state, nonce, PKCE verifier, where to go
 * afterwards), seals it into a cookie named after its state, and says where to send the browser.
 * {@link #finish} takes the provider's callback: the cookie named after the callback's state must
 * be there and open under this deployment's secret key, its state must be the callback's, it must
 * be fresh (10 minutes) and unused on this instance; then the code is exchanged, the ID token
 * checked ({@link OidcClient}) and the person signed in ({@link OidcAccounts}) with a session of the
 * kind the sign-in asked for: the dashboard's cookie, or the API's token pair ({@link UserSessions}).
 *
 * <p>The transaction lives in the browser, not in this instance, so a callback that a load
 * balancer sends to another instance works. Several sign-ins in several tabs each have their own
 * cookie.
 */
public final class SingleSignOn {
    /** How long a sign-in may take at the provider before its callback is refused. */
    public static final Duration LOGIN_TIMEOUT = Duration.ofMinutes(10);
    public static final String COOKIE_PREFIX = "casare_oidc_";
    private static final int COOKIE_ID_HEX = 16;

    private final OidcClient client;
    private final LoginTransactionSeal seal;
    private final OidcAccounts accounts;
    private final UserSessions sessions;
    private final String displayName;
    private final Clock clock;
    /** States whose callback this instance has taken: a replay is refused even before the provider refuses its code. */
    private final Cache<String, Boolean> finished = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(LOGIN_TIMEOUT.plusMinutes(1)).build();

    public SingleSignOn(OrchestratorSettings.Oidc settings, Secret secretKey, OidcAccounts accounts, UserSessions sessions,
            Clock clock) {
        this.client = new OidcClient(settings, clock);
        this.seal = new LoginTransactionSeal(secretKey);
        this.accounts = accounts;
        this.sessions = sessions;
        this.displayName = settings.displayName();
        this.clock = clock;
    }

    public String displayName() {
        return displayName;
    }

    public String issuer() {
        return client.issuer();
    }

    /**
     * A sign-in to begin.
     *
     * @param authorizationUri where to send the browser
     * @param cookieName       the cookie that carries the transaction to the callback
     * @param cookieValue      the sealed transaction
     */
    public record Started(URI authorizationUri, String cookieName, String cookieValue) {}

    /**
     * What the provider's redirect to the callback carried (query parameters; empty when absent).
     *
     * @param issuer the {@code iss} parameter of RFC 9207, sent by providers that protect against mix-ups
     */
    public record Callback(Optional<String> state, Optional<String> code, Optional<String> error,
            Optional<String> errorDescription, Optional<String> issuer) {}

    /** A finished sign-in: who, what it is handed, and where the browser goes next. */
    public record SignedIn(User user, boolean created, Handover handover, String returnTo) {}

    /** The session a sign-in opened, of the kind its mode asked for. */
    public sealed interface Handover {
        /** {@link LoginTransaction.Mode#BROWSER}: the dashboard's session cookie and CSRF token. */
        record Dashboard(UserSessions.DashboardSession session) implements Handover {}

        /** {@link LoginTransaction.Mode#TOKEN}: an access and a refresh token, as {@code POST /api/v1/auth/login} gives. */
        record Tokens(UserSessions.ApiTokens tokens) implements Handover {}
    }

    /**
     * @param returnTo    a local path to go to once signed in (empty: {@code /})
     * @param redirectUri the callback URL, as registered at the provider
     * @throws InvalidInputException naming {@code return_to} when it is not a local path
     * @throws IdentityProviderUnavailable when the provider's discovery document cannot be read
     */
    public Started start(Optional<String> returnTo, LoginTransaction.Mode mode, URI redirectUri) {
        String path = ReturnPaths.check(returnTo);
        LoginTransaction.Secrets secrets = OidcClient.newSecrets();
        LoginTransaction tx = new LoginTransaction(secrets.state(), secrets.nonce(), secrets.codeVerifier(), path, redirectUri, mode,
                clock.instant().plus(LOGIN_TIMEOUT));
        URI authorization = client.authorizationUri(tx);
        return new Started(authorization, cookieName(tx.state()), seal.seal(tx));
    }

    /**
     * Completes a sign-in from the provider's callback.
     *
     * @param cookies       the request's cookies by name
     * @param clientAddress where the callback came from, kept with the session
     * @throws SignInRefused for a callback that does not match a sign-in of this browser (400), a
     *                       refusal by the provider or an ID token that does not verify (401), a
     *                       user who may not sign in (403)
     * @throws IdentityProviderUnavailable when the provider cannot be reached
     */
    public SignedIn finish(Callback callback, Function<String, Optional<String>> cookies, String clientAddress) {
        String state = callback.state().filter(s -> !s.isEmpty()).orElseThrow(() -> SignInRefused.badCallback("state",
                "missing; the identity provider sends it back with every answer, so this is not an answer to a sign-in"));
        LoginTransaction tx = cookies.apply(cookieName(state)).flatMap(seal::open).orElseThrow(() -> SignInRefused.badState(
                "no_login_in_progress", "no sign-in with this state is under way in this browser: it was started in another"
                        + " browser, already finished, older than " + LOGIN_TIMEOUT.toMinutes() + " minutes, or sealed with another"
                        + " secret key; start again at /api/v1/auth/oidc/login"));
        if (!MessageDigest.isEqual(tx.state().getBytes(StandardCharsets.UTF_8), state.getBytes(StandardCharsets.UTF_8))) {
            throw SignInRefused.badState("state_mismatch", "does not match the sign-in this browser started; start again at"
                    + " /api/v1/auth/oidc/login");
        }
        Instant now = clock.instant();
        if (!now.isBefore(tx.expiresAt())) {
            throw SignInRefused.badState("login_expired", "the sign-in took longer than " + LOGIN_TIMEOUT.toMinutes()
                    + " minutes; start again at /api/v1/auth/oidc/login");
        }
        if (finished.asMap().putIfAbsent(state, Boolean.TRUE) != null) {
            throw SignInRefused.badState("state_used", "this sign-in was finished already; start again at /api/v1/auth/oidc/login");
        }
        if (callback.error().isPresent()) {
            throw SignInRefused.unauthenticated("provider_error", "the identity provider did not sign you in: "
                    + callback.error().get() + callback.errorDescription().map(d -> " (" + d + ")").orElse(""),
                    callback.error());
        }
        if (callback.issuer().isPresent() && !callback.issuer().get().equals(client.issuer())) {
            throw SignInRefused.unauthenticated("issuer_mismatch", "the callback comes from the identity provider "
                    + callback.issuer().get() + ", not from " + client.issuer() + "; start again");
        }
        String code = callback.code().filter(c -> !c.isEmpty()).orElseThrow(() -> SignInRefused.badCallback("code",
                "missing; the identity provider answered without an authorization code"));
        OidcIdentity identity = client.exchange(code, tx);
        OidcAccounts.SessionOpener<Handover> opener = switch (tx.mode()) {
            case BROWSER -> new OidcAccounts.SessionOpener<>(UserSessions.DASHBOARD,
                    user -> new Handover.Dashboard(sessions.openDashboard(user, clientAddress)));
            case TOKEN -> new OidcAccounts.SessionOpener<>(UserSessions.API,
                    user -> new Handover.Tokens(sessions.openApi(user, clientAddress)));
        };
        OidcAccounts.SignedInUser<Handover> in = accounts.signIn(identity, opener);
        return new SignedIn(in.user(), in.created(), in.session(), tx.returnTo());
    }

    /** The cookie of the sign-in with this state: a digest of the state, so any state maps to a valid cookie name. */
    public static String cookieName(String state) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8));
            return COOKIE_PREFIX + HexFormat.of().formatHex(digest).substring(0, COOKIE_ID_HEX);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
