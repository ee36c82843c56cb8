package com.casarerpa.orchestrator.api;

import io.javalin.http.Context;

/**
 * Headers for safety rather than content: every answer says {@code X-Content-Type-Options:
 * nosniff} (a browser must not guess that a JSON answer is HTML or script; {@link JettyErrors}
 * sets it on the answers the HTTP server gives itself), and an answer that carries a key, token
 * or webhook secret says {@code Cache-Control: no-store}, so no browser or proxy keeps a copy.
 */
final class ResponseHeaders {
    static final String CONTENT_TYPE_OPTIONS = "X-Content-Type-Options";
    static final String NOSNIFF = "nosniff";

    private ResponseHeaders() {}

    static void everyResponse(Context ctx) {
        ctx.header(CONTENT_TYPE_OPTIONS, NOSNIFF);
    }

    /** For an answer that shows a secret: a new API key, a token, a webhook's secret. */
    static void holdsSecret(Context ctx) {
        ctx.header("Cache-Control", "no-store");
    }
}
