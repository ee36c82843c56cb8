package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.service.LoginTransaction;
import com.casarerpa.orchestrator.service.SignInRefused;
import com.casarerpa.orchestrator.service.SingleSignOn;
import com.casarerpa.orchestrator.service.UserSessions;
import com.casarerpa.protocol.rest.AuthBodies;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Single sign-on through OpenID Connect (docs/access.md, "Single sign-on"), all public:
 * {@code GET /api/v1/auth/oidc} says whether it is configured; {@code …/login} sends the browser
 * to the provider with a cookie that carries the sign-in (HttpOnly, SameSite=Lax, Secure when the
 * callback is https, 10 minutes, sent only to these routes); {@code …/callback} takes the
 * provider's answer, removes that cookie and signs the person in: by default with the
 * dashboard's session cookie and a page that moves on to {@code return_to} ({@link SignedInPage}),
 * with {@code mode=token} at login with the token answer of {@code POST /api/v1/auth/login}.
 * Login and callback are limited per client address; without {@code oidc.issuer} they answer 404.
 */
public final class OidcRoutes implements RouteGroup {
    public static final String BASE = "/api/v1/auth/oidc";
    public static final String LOGIN = BASE + "/login";
    public static final String CALLBACK = BASE + "/callback";
    private static final String MODES = Arrays.stream(LoginTransaction.Mode.values()).map(LoginTransaction.Mode::wireName)
            .collect(Collectors.joining(", "));

    private final Optional<SingleSignOn> sso;
    private final Optional<URI> redirectUri;
    private final RateLimits rateLimits;
    private final UserSessions sessions;
    private final SignInRoutes.Cookies cookies;

    /**
     * @param sso         empty when single sign-on is not configured
     * @param redirectUri the callback URL the provider knows ({@code oidc.redirect_uri}, else
     *                    {@code api_url} + the callback path); empty: derived from each request
     * @param sessions    for the token answer's expiry
     * @param cookies     how the dashboard's session cookie is set, as at a password sign-in
     */
    public OidcRoutes(Optional<SingleSignOn> sso, Optional<URI> redirectUri, RateLimits rateLimits, UserSessions sessions,
            SignInRoutes.Cookies cookies) {
        this.sso = sso;
        this.redirectUri = redirectUri;
        this.rateLimits = rateLimits;
        this.sessions = sessions;
        this.cookies = cookies;
    }

    /** {@code GET /api/v1/auth/oidc}: what a sign-in page needs to show the button. */
    record SsoStatus(boolean enabled, String displayName, String loginUrl) {}

    @Override
    public void register(RoutesConfig routes) {
        routes.get(BASE, ctx -> ctx.json(sso.map(s -> new SsoStatus(true, s.displayName(), LOGIN))
                .orElse(new SsoStatus(false, null, null))), Access.PUBLIC);
        routes.get(LOGIN, this::login, Access.PUBLIC);
        routes.get(CALLBACK, this::callback, Access.PUBLIC);
    }

    private void login(Context ctx) {
        rateLimits.enforceByAddress(ctx);
        SingleSignOn s = configured();
        LoginTransaction.Mode mode = mode(ctx.queryParam("mode"));
        URI callback = callbackUri(ctx);
        SingleSignOn.Started started = s.start(Optional.ofNullable(ctx.queryParam("return_to")), mode, callback);
        ctx.cookie(cookie(started.cookieName(), started.cookieValue(), (int) SingleSignOn.LOGIN_TIMEOUT.toSeconds(), callback));
        ResponseHeaders.holdsSecret(ctx);
        ctx.redirect(started.authorizationUri().toString(), HttpStatus.FOUND);
    }

    private void callback(Context ctx) {
        // Public, but it checks secrets (the sealed cookie, the code): limited per address, and
        // its refusals count against the address's budget of refused credentials.
        rateLimits.beforeCredentials(ctx, Optional.empty());
        rateLimits.enforceByAddress(ctx);
        SingleSignOn s = configured();
        ResponseHeaders.holdsSecret(ctx);
        Optional<String> state = param(ctx, "state");
        // The sign-in's cookie is single use: gone whatever the outcome.
        state.ifPresent(st -> ctx.cookie(cookie(SingleSignOn.cookieName(st), "", 0, callbackUri(ctx))));
        SingleSignOn.SignedIn in;
        try {
            in = s.finish(new SingleSignOn.Callback(state, param(ctx, "code"), param(ctx, "error"), param(ctx, "error_description"),
                    param(ctx, "iss")), name -> Optional.ofNullable(ctx.cookie(name)), RequestOrigin.of(ctx).clientAddress());
        } catch (SignInRefused e) {
            if (e.status() == 400 || e.status() == 401) {
                rateLimits.credentialsRefused(ctx);
            }
            throw e;
        }
        switch (in.handover()) {
            case SingleSignOn.Handover.Dashboard d -> {
                SessionCookie.set(ctx, d.session().cookie(), d.session().csrfToken(), cookies.lifetime(), cookies.publicHttps());
                SignedInPage.send(ctx, in.returnTo());
            }
            case SingleSignOn.Handover.Tokens t ->
                    ctx.json(new AuthBodies.SignedIn(SignInRoutes.pair(sessions, t.tokens()), UserView.of(in.user())));
        }
    }

    /** The callback URL: configured, else this request's base URL ({@link RequestOrigin}; behind a proxy, configure it). */
    private URI callbackUri(Context ctx) {
        return redirectUri.orElseGet(() -> URI.create(RequestOrigin.of(ctx).baseUrl() + CALLBACK));
    }

    private SingleSignOn configured() {
        return sso.orElseThrow(() -> ApiError.notFound("single sign-on is not configured on this server (oidc.issuer is unset);"
                + " sign in with a username and password or an API key"));
    }

    private static LoginTransaction.Mode mode(String text) {
        if (text == null || text.isEmpty()) {
            return LoginTransaction.Mode.BROWSER;
        }
        return Arrays.stream(LoginTransaction.Mode.values()).filter(m -> m.wireName().equals(text.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> ApiError.invalidField("mode", "expected one of " + MODES + ", got \"" + text + "\""));
    }

    private static Optional<String> param(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name));
    }

    /** The sign-in cookie: only for these routes, never to scripts, Secure when the callback is https. */
    private static Cookie cookie(String name, String value, int maxAgeSeconds, URI callback) {
        boolean secure = "https".equalsIgnoreCase(callback.getScheme());
        return new Cookie(name, value, BASE, maxAgeSeconds, secure, true, null, SameSite.LAX);
    }
}
