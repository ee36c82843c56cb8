package com.casarerpa.orchestrator.api;

import io.javalin.http.Context;

/**
 * Where a request comes from, decided once per request by {@link ForwardedHeaders}: the client's
 * address (what rate limits count by, the audit trail records, sign-ins and {@code metrics.open_to}
 * look at), the scheme the client used (the session cookie's {@code Secure}), and the base URL
 * that URLs made for this request start with when no public URL is configured (a webhook's URL,
 * the single sign-on callback). Behind a trusted proxy the address and scheme are what the proxy
 * says; otherwise the TCP peer's and this connection's.
 *
 * @param clientAddress the client's IP address as text ({@code 203.0.113.7}, {@code 2001:db8:0:0:0:0:0:1})
 * @param scheme        {@code http} or {@code https}
 * @param forwarded     true when address and scheme come from a trusted proxy's headers
 * @param baseUrl       {@code scheme://host[:port]}: from the {@code Host} header only with
 *                      {@code orchestrator.trust_host_header}, else this server's own address as
 *                      the connection reached it
 */
public record RequestOrigin(String clientAddress, String scheme, boolean forwarded, String baseUrl) {
    private static final String ATTRIBUTE = "casare.origin";

    /** The origin {@link ForwardedHeaders} decided for this request; the connection's own when it did not run. */
    public static RequestOrigin of(Context ctx) {
        RequestOrigin decided = ctx.attribute(ATTRIBUTE);
        return decided != null ? decided : direct(ctx);
    }

    static void set(Context ctx, RequestOrigin origin) {
        ctx.attribute(ATTRIBUTE, origin);
    }

    /** The TCP peer, this connection's scheme and this server's own address: no header believed. */
    static RequestOrigin direct(Context ctx) {
        return new RequestOrigin(ForwardedHeaders.literal(String.valueOf(ctx.req().getRemoteAddr())), ctx.scheme(), false,
                ownBaseUrl(ctx));
    }

    /** This server as the connection reached it: the local address and port, never a header's word. */
    static String ownBaseUrl(Context ctx) {
        String local = ForwardedHeaders.literal(String.valueOf(ctx.req().getLocalAddr()));
        return ctx.scheme() + "://" + (local.contains(":") ? "[" + local + "]" : local) + ":" + ctx.req().getLocalPort();
    }

    public boolean https() {
        return "https".equalsIgnoreCase(scheme);
    }
}
