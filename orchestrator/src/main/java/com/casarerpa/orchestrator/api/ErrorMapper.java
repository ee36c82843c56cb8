package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.error.OrchestratorException;
import com.casarerpa.orchestrator.service.NotAuthenticated;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP responses. Every {@link OrchestratorException}
 * (the services', the store's, the domain's and {@link ApiError}) answers with its status, code,
 * client message, details and {@code retryable}; Javalin's own responses (malformed JSON, 405, …)
 * keep their status; anything else is a 500 whose body says nothing internal but carries the
 * request id to find the logged cause, and so is an {@link OrchestratorException} of 500 or more
 * that its thrower did not mark retryable: a defect, logged, and answered {@code retryable: true}
 * as the robot WebSocket answers {@code internal_error} (a defect may not repeat). A database that cannot be reached is a 503 with {@code Retry-After}, as
 * load balancers and clients expect of a transient outage; a pool that stayed busy is a 503
 * {@code overloaded} with {@code Retry-After: 1}, logged by the pool (rate-limited) rather than here. A client that goes away in the middle
 * of its request body is its own problem: one DEBUG line, no stack trace.
 */
final class ErrorMapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);
    private static final int DATABASE_RETRY_AFTER_SECONDS = 5;
    /** The code of a 503 whose cause is this instance's busy connection pool, not the database. */
    private static final String OVERLOADED = "overloaded";
    /** Connections free up in milliseconds once the burst passes: come back soon. */
    private static final int OVERLOADED_RETRY_AFTER_SECONDS = 1;

    private ErrorMapper() {}

    static void register(RoutesConfig routes) {
        routes.exception(OrchestratorException.class, (e, ctx) -> {
            if (e instanceof NotAuthenticated) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"casare-rpa\"");
            }
            if (e.status() == 503 && OVERLOADED.equals(e.code())) {
                // The pool's own WARN, rate-limited, has the counters; one line per request would flood the log.
                log.debug("{} {}: overloaded: {}", ctx.method(), ctx.path(), e.getMessage());
                ctx.header("Retry-After", String.valueOf(OVERLOADED_RETRY_AFTER_SECONDS));
            } else if (e.status() == 503 && !(e instanceof ApiError)) {
                log.warn("{} {}: database unavailable: {}", ctx.method(), ctx.path(), e.getMessage());
                ctx.header("Retry-After", String.valueOf(DATABASE_RETRY_AFTER_SECONDS));
            }
            boolean defect = !e.isClientError() && !e.retryable();
            if (defect) {
                log.error("unhandled error in {} {}", ctx.method(), ctx.path(), e);
            }
            // A defect is answered as retryable, as on the robot WebSocket: it may not repeat.
            write(ctx, e.status(), e.code(), e.clientMessage(), e.retryable() || defect, e.details());
        });
        routes.exception(IncompleteBody.class, (e, ctx) -> {
            log.debug("{} {}: the client did not send the whole body ({}); nothing was done", ctx.method(), ctx.path(),
                    e.getMessage());
            write(ctx, 400, "invalid_request", "body: the request body ended before its announced length.", false,
                    Map.of("field", "body"));
        });
        routes.exception(HttpResponseException.class, (e, ctx) ->
                write(ctx, e.getStatus(), codeFor(e.getStatus()), e.getMessage(), retryable(e.getStatus()),
                        Map.copyOf(e.getDetails())));
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("unhandled error in {} {}", ctx.method(), ctx.path(), e);
            write(ctx, 500, "internal_error",
                    "The server failed to handle this request; its log has the cause under this request id.", true, Map.of());
        });
        routes.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                write(ctx, 404, "not_found", "No route for " + ctx.method() + " " + ctx.path() + ".", false, Map.of());
            }
        });
        routes.error(405, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                write(ctx, 405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path() + ".", false, Map.of());
            }
        });
    }

    static void write(Context ctx, int status, String code, String message, boolean retryable, Map<String, ?> details) {
        ctx.status(status).json(ErrorBody.of(code, message, retryable, Map.copyOf(details), RequestIds.of(ctx)));
    }

    /** An answer the same request may get past later: a rate limit (429), an unavailable server (503), a defect (500). */
    static boolean retryable(int status) {
        return status == 429 || status >= 500;
    }

    static String codeFor(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case 431 -> "headers_too_large";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "http_" + status;
        };
    }
}
