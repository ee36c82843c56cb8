package com.casarerpa.orchestrator.api;

import io.javalin.http.Context;

/**
 * The page a browser gets at the end of a single sign-on: it moves on to {@code return_to} by
 * itself ({@code meta refresh}, no script) and links there too. A page rather than a redirect,
 * because the session cookie is {@code SameSite=Strict}: a browser does not send it on a
 * navigation that a redirect chain begun at the identity provider (another site) leads to, so
 * the first page after a {@code 302} would look signed out. The navigation this page starts
 * comes from this site, and carries the cookie. Nothing from the sign-in is in the page;
 * {@code return_to} is a checked local path, escaped all the same.
 */
final class SignedInPage {
    private SignedInPage() {}

    static void send(Context ctx, String returnTo) {
        String href = escape(returnTo);
        ctx.header("Content-Security-Policy", "default-src 'none'");
        ctx.header("Referrer-Policy", "no-referrer");
        ResponseHeaders.holdsSecret(ctx);
        ctx.contentType("text/html; charset=utf-8");
        ctx.result("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url=" + href
                + "\"><title>Signed in</title></head>\n<body><p>Signed in. <a href=\"" + href + "\">Continue</a></p></body></html>\n");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
