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
 * trusted proxy that says so: {@link RequestOrigin}) or {@code orchestrator.api_url} is https.
 * A request it authenticates with an unsafe method must also carry {@value #CSRF_HEADER}, the
 * session's CSRF token, which every sign-in that sets the cookie also puts in {@value #CSRF_COOKIE}.
 */
final class SessionCookie {
    static final String NAME = "casare_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    /**
     * The session's CSRF token where the dashboard's scripts can read it (so not HttpOnly): one
     * place for every sign-in (single sign-on ends in a page, which has no JSON answer to carry
     * it), and still there after a reload of the page. Reading it gives another site nothing: it
     * cannot read this site's cookies, and the token counts only together with the HttpOnly
     * session cookie.
     */
    static final String CSRF_COOKIE = "casare_csrf";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private SessionCookie() {}

    static Optional<String> read(Context ctx) {
        return Optional.ofNullable(ctx.cookie(NAME)).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** Sets the session cookie and, for as long, {@value #CSRF_COOKIE} with the session's CSRF token. */
    static void set(Context ctx, String value, String csrfToken, Duration lifetime, boolean publicHttps) {
        String attributes = "; Path=/; Max-Age=" + lifetime.toSeconds() + "; SameSite=Strict" + (secure(ctx, publicHttps) ? "; Secure" : "");
        ctx.res().addHeader("Set-Cookie", NAME + "=" + value + attributes + "; HttpOnly");
        ctx.res().addHeader("Set-Cookie", CSRF_COOKIE + "=" + csrfToken + attributes);
    }

    /** Tells the browser to drop the cookie (and {@value #CSRF_COOKIE}, when the request still has it). */
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
        return publicHttps || RequestOrigin.of(ctx).https();
    }
}
