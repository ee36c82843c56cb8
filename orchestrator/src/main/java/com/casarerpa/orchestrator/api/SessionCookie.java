package com.casarerpa.orchestrator.api;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The dashboard's session cookie, {@value #NAME}: an opaque token (only its hash is stored),
 * {@code HttpOnly} so no script reads it, {@code SameSite=Strict} so no other site's page sends
 * it, {@code Path=/}, and {@code Secure} when the request came over TLS (to this server, or to a
 * proxy that says {@code X-Forwarded-Proto: https}) or {@code orchestrator.api_url} is https.
 * A request it authenticates with an unsafe method must also carry {@value #CSRF_HEADER}.
 */
final class SessionCookie {
    static final String NAME = "casare_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    /**
     * The session's CSRF token where the dashboard's scripts can read it (so not HttpOnly), for
     * a sign-in that has no JSON answer to carry it: single sign-on ends in a page, not in JSON.
     * Reading it gives another site nothing: it cannot read this site's cookies, and the token
     * counts only together with the HttpOnly session cookie.
     */
    static final String CSRF_COOKIE = "casare_csrf";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private SessionCookie() {}

    static Optional<String> read(Context ctx) {
        return Optional.ofNullable(ctx.cookie(NAME)).map(String::strip).filter(v -> !v.isEmpty());
    }

    /**
     * Sets the cookie. Marking it {@code Secure} on a forwarded header that a client could forge
     * is safe: it only keeps the browser from sending the cookie over plain HTTP.
     */
    static void set(Context ctx, String value, Duration lifetime, boolean publicHttps) {
        ctx.res().addHeader("Set-Cookie", NAME + "=" + value + "; Path=/; Max-Age=" + lifetime.toSeconds()
                + "; HttpOnly; SameSite=Strict" + (secure(ctx, publicHttps) ? "; Secure" : ""));
    }

    /** Sets {@value #CSRF_COOKIE}, for as long as the session cookie. */
    static void setCsrf(Context ctx, String csrfToken, Duration lifetime, boolean publicHttps) {
        ctx.res().addHeader("Set-Cookie", CSRF_COOKIE + "=" + csrfToken + "; Path=/; Max-Age=" + lifetime.toSeconds()
                + "; SameSite=Strict" + (secure(ctx, publicHttps) ? "; Secure" : ""));
    }

    /** Tells the browser to drop the cookie (and {@value #CSRF_COOKIE}, when a single sign-on set it). */
    static void clear(Context ctx, boolean publicHttps) {
        ctx.res().addHeader("Set-Cookie", NAME + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (secure(ctx, publicHttps) ? "; Secure" : ""));
        if (ctx.cookie(CSRF_COOKIE) != null) {
            ctx.res().addHeader("Set-Cookie", CSRF_COOKIE + "=; Path=/; Max-Age=0; SameSite=Strict"
                    + (secure(ctx, publicHttps) ? "; Secure" : ""));
        }
    }

    static boolean unsafeMethod(Context ctx) {
        return !SAFE_METHODS.contains(ctx.method().name().toUpperCase(Locale.ROOT));
    }

    private static boolean secure(Context ctx, boolean publicHttps) {
        String forwarded = ctx.header("X-Forwarded-Proto");
        return publicHttps || "https".equalsIgnoreCase(ctx.scheme())
                || (forwarded != null && forwarded.split(",")[0].strip().equalsIgnoreCase("https"));
    }
}
