package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.service.ApiKeys;
import com.casarerpa.orchestrator.service.NotAuthenticated;
import com.casarerpa.orchestrator.service.PasswordTokens;
import com.casarerpa.orchestrator.service.SignIn;
import com.casarerpa.orchestrator.service.UserSessions;
import com.casarerpa.orchestrator.service.Users;
import com.casarerpa.protocol.rest.AuthBodies;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * People's sign-in (docs/access.md, "People and sign-in"): {@code POST /api/v1/auth/login}
 * (tokens, or with {@code "session": "cookie"} the dashboard's cookie), {@code /auth/refresh},
 * {@code /auth/password} (a one-time token sets a password), all public, limited per client
 * address and counted as refused credentials when they fail; {@code /auth/logout} and
 * {@code GET /auth/me} for any signed-in caller.
 */
public final class SignInRoutes implements RouteGroup {
    private static final long MAX_BODY = 16 * 1024;

    private final SignIn signIn;
    private final UserSessions sessions;
    private final PasswordTokens passwordTokens;
    private final Users users;
    private final RateLimits rateLimits;
    private final Cookies cookies;

    /**
     * How the session cookie is set.
     *
     * @param lifetime    its {@code Max-Age}: {@code auth.session_hours}
     * @param publicHttps true when {@code orchestrator.api_url} is https (the cookie is then always {@code Secure})
     */
    public record Cookies(Duration lifetime, boolean publicHttps) {}

    public SignInRoutes(SignIn signIn, UserSessions sessions, PasswordTokens passwordTokens, Users users, RateLimits rateLimits,
            Cookies cookies) {
        this.signIn = signIn;
        this.sessions = sessions;
        this.passwordTokens = passwordTokens;
        this.users = users;
        this.rateLimits = rateLimits;
        this.cookies = cookies;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post("/api/v1/auth/login", this::login, Access.PUBLIC);
        routes.post("/api/v1/auth/refresh", ctx -> {
            JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "a refresh", "refresh_token");
            String refresh = RequestBodies.requiredString(body, "refresh_token");
            UserSessions.ApiTokens t = checkingSecrets(ctx, () -> sessions.refresh(refresh));
            ResponseHeaders.holdsSecret(ctx);
            ctx.json(pair(t));
        }, Access.PUBLIC);
        routes.post("/api/v1/auth/password", ctx -> {
            JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "a password change", "token", "password");
            String token = RequestBodies.requiredString(body, "token");
            String password = RequestBodies.requiredString(body, "password");
            ctx.json(UserView.of(checkingSecrets(ctx, () -> passwordTokens.setPassword(token, password))));
        }, Access.PUBLIC);
        routes.post("/api/v1/auth/logout", this::logout, Access.SIGNED_IN);
        routes.get("/api/v1/auth/me", this::me, Access.SIGNED_IN);
    }

    private void login(Context ctx) {
        JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "a sign-in", "username", "password", "session",
                "api_key");
        Optional<String> apiKey = RequestBodies.optionalString(body, "api_key");
        String kind = RequestBodies.optionalString(body, "session").orElse(apiKey.isPresent() ? "cookie" : "token");
        if (!kind.equals("token") && !kind.equals("cookie")) {
            throw ApiError.invalidField("session", "expected token (an access and a refresh token, the default) or cookie"
                    + " (the dashboard's session cookie), got \"" + kind + "\"");
        }
        if (apiKey.isPresent()) {
            keyLogin(ctx, body, apiKey.get(), kind);
            return;
        }
        String username = RequestBodies.requiredString(body, "username");
        String password = RequestBodies.requiredString(body, "password");
        ResponseHeaders.holdsSecret(ctx);
        if (kind.equals("cookie")) {
            SignIn.SignedIn<UserSessions.DashboardSession> in = checkingSecrets(ctx, () -> signIn.dashboard(username, password, RequestOrigin.of(ctx).clientAddress()));
            SessionCookie.set(ctx, in.session().cookie(), in.session().csrfToken(), cookies.lifetime(), cookies.publicHttps());
            ctx.json(new AuthBodies.DashboardSignedIn(in.session().csrfToken(), in.session().expiresAt(), UserView.of(in.user())));
        } else {
            SignIn.SignedIn<UserSessions.ApiTokens> in = checkingSecrets(ctx, () -> signIn.api(username, password, RequestOrigin.of(ctx).clientAddress()));
            ctx.json(new AuthBodies.SignedIn(pair(in.session()), UserView.of(in.user())));
        }
    }

    /** A dashboard session opened with an API key, for installations that have no users yet. */
    private void keyLogin(Context ctx, JsonNode body, String apiKey, String kind) {
        for (String field : List.of("username", "password")) {
            if (body.has(field)) {
                throw ApiError.invalidField(field, "sign in with a username and password, or with api_key, not both");
            }
        }
        if (!kind.equals("cookie")) {
            throw ApiError.invalidField("session", "an API key opens a dashboard session (cookie) here; a script exchanges its key"
                    + " for a token at POST /api/v1/auth/token, or sends the key itself");
        }
        if (!apiKey.startsWith(ApiKeys.KEY_PREFIX)) {
            throw ApiError.invalidField("api_key", "expected an API key (crpa_…)");
        }
        ResponseHeaders.holdsSecret(ctx);
        UserSessions.DashboardSession session = checkingSecrets(ctx, () -> sessions.openDashboard(apiKey, RequestOrigin.of(ctx).clientAddress()));
        SessionCookie.set(ctx, session.cookie(), session.csrfToken(), cookies.lifetime(), cookies.publicHttps());
        ctx.json(new AuthBodies.DashboardSignedIn(session.csrfToken(), session.expiresAt(), null));
    }

    private void logout(Context ctx) {
        Actor caller = Callers.of(ctx);
        Optional<String> refresh = RequestBodies.optionalString(
                RequestBodies.onlyFields(RequestBodies.objectOrEmpty(ctx, MAX_BODY), "a logout", "refresh_token"), "refresh_token");
        Set<String> ending = new LinkedHashSet<>();
        Callers.session(ctx).ifPresent(ending::add);
        refresh.flatMap(r -> sessions.sessionOfRefreshToken(r, caller)).ifPresent(ending::add);
        if (ending.isEmpty()) {
            throw ApiError.invalidField("refresh_token", !caller.isUser()
                    ? "an API key has no session to end; revoke the key instead (DELETE /api/v1/api-keys/{id})"
                    : refresh.isPresent() ? "is not a live refresh token of yours" : "is required");
        }
        ending.forEach(id -> sessions.revoke(id, caller));
        if (Callers.byCookie(ctx)) {
            SessionCookie.clear(ctx, cookies.publicHttps());
        }
        ctx.status(204);
    }

    private void me(Context ctx) {
        Actor caller = Callers.of(ctx);
        List<AuthBodies.FolderPermissions> folders = caller.grants().byFolder().entrySet().stream()
                .map(e -> new AuthBodies.FolderPermissions(e.getKey(), e.getValue().stream().map(Permission::wireName).toList()))
                .toList();
        if (!caller.isUser()) {
            ctx.json(new AuthBodies.Me(caller.kind(), caller.id(), caller.name(), null, List.of(), folders));
            return;
        }
        List<AuthBodies.Group> groups = users.groupsOf(caller.id()).stream()
                .map(g -> new AuthBodies.Group(g.id(), g.name())).toList();
        ctx.json(new AuthBodies.Me(caller.kind(), caller.id(), caller.name(), UserView.of(users.get(caller.id())), groups, folders));
    }

    /**
     * Runs a check of secrets sent by an unauthenticated client: refused at once when its address
     * has spent its budget of refused credentials, charged to the address either way, and counted
     * against that budget when refused.
     */
    private <T> T checkingSecrets(Context ctx, Supplier<T> check) {
        rateLimits.beforeCredentials(ctx, Optional.empty());
        rateLimits.enforceByAddress(ctx);
        try {
            return check.get();
        } catch (NotAuthenticated e) {
            rateLimits.credentialsRefused(ctx);
            throw e;
        }
    }

    private AuthBodies.TokenPair pair(UserSessions.ApiTokens t) {
        return pair(sessions, t);
    }

    /** The token answer of a sign-in (a password here, single sign-on in {@link OidcRoutes}). */
    static AuthBodies.TokenPair pair(UserSessions sessions, UserSessions.ApiTokens t) {
        return new AuthBodies.TokenPair(t.accessToken(), t.refreshToken(), "bearer", sessions.secondsUntil(t.accessExpiresAt()),
                t.accessExpiresAt(), t.sessionExpiresAt());
    }
}
