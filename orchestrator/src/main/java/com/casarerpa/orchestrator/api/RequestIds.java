package com.casarerpa.orchestrator.api;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Gives every request an id: the client's {@code X-Request-ID} when it is a sane token, else a
 * new UUID. The id is echoed in the response header, put in the logging MDC as
 * {@code request_id} (so every log line of the request carries it) and into error bodies.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-ID";
    public static final String MDC_KEY = "request_id";
    private static final String ATTRIBUTE = "casare.request_id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {}

    static void assign(Context ctx) {
        String id = acceptOrGenerate(ctx.header(HEADER));
        ctx.attribute(ATTRIBUTE, id);
        ctx.header(HEADER, id);
        MDC.put(MDC_KEY, id);
    }

    /** The client's id when it is usable (1-128 of {@code A-Z a-z 0-9 . _ : -}), else a new UUID. */
    static String acceptOrGenerate(String offered) {
        return offered != null && SANE.matcher(offered).matches() ? offered : UUID.randomUUID().toString();
    }

    static void release(Context ctx) {
        MDC.remove(MDC_KEY);
        MDC.remove("actor");
        MDC.remove(com.casarerpa.orchestrator.domain.AuditTrail.CLIENT_ADDRESS);
    }

    /** The id of this request (assigned before any handler runs). */
    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id != null ? id : "unknown";
    }
}
