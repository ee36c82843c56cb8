package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.InvalidWorkflowException;
import com.casarerpa.orchestrator.service.ConflictException;
import com.casarerpa.orchestrator.service.ForbiddenException;
import com.casarerpa.orchestrator.store.DatabaseUnavailableException;
import com.casarerpa.orchestrator.store.StaleLeaseException;
import com.casarerpa.orchestrator.service.InvalidInputException;
import com.casarerpa.orchestrator.service.NotAuthenticated;
import com.casarerpa.orchestrator.service.NotFoundException;
import com.casarerpa.orchestrator.service.WebhookRejected;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become HTTP responses. {@link ApiError} keeps its status and
 * code; Javalin's own responses (malformed JSON, 405, …) keep their status; anything else is a
 * 500 whose body says nothing internal but carries the request id to find the logged cause; a
 * database that cannot be reached is a 503 with {@code Retry-After}, as load balancers and clients
 * expect of a transient outage. A client that goes away in the middle of its request body is
 * its own problem: one DEBUG line, no stack trace.
 */
final class ErrorMapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);
    private static final int DATABASE_RETRY_AFTER_SECONDS = 5;

    private ErrorMapper() {}

    static void register(RoutesConfig routes) {
        routes.exception(ApiError.class, (e, ctx) -> write(ctx, e.status(), e.code(), e.getMessage(), e.details()));
        routes.exception(NotAuthenticated.class, (e, ctx) -> {
            ctx.header("WWW-Authenticate", "Bearer realm=\"casare-rpa\"");
            write(ctx, 401, "unauthorized", e.getMessage(), Map.of());
        });
        for (Class<? extends RuntimeException> serviceError : List.of(NotFoundException.class, ConflictException.class,
                InvalidInputException.class, InvalidWorkflowException.class, ForbiddenException.class,
                StaleLeaseException.class, WebhookRejected.class)) {
            routes.exception(serviceError, (e, ctx) -> {
                ApiError error = ServiceErrors.of(e);
                write(ctx, error.status(), error.code(), error.getMessage(), error.details());
            });
        }
        routes.exception(DatabaseUnavailableException.class, (e, ctx) -> {
            log.warn("{} {}: database unavailable: {}", ctx.method(), ctx.path(), e.getMessage());
            ctx.header("Retry-After", String.valueOf(DATABASE_RETRY_AFTER_SECONDS));
            write(ctx, 503, "unavailable",
                    "The database is unreachable; nothing was changed. Try again in a few seconds.", Map.of());
        });
        routes.exception(IncompleteBody.class, (e, ctx) -> {
            log.debug("{} {}: the client did not send the whole body ({}); nothing was done", ctx.method(), ctx.path(),
                    e.getMessage());
            write(ctx, 400, "invalid_request", "body: the request body ended before its announced length.",
                    Map.of("field", "body"));
        });
        routes.exception(HttpResponseException.class, (e, ctx) ->
                write(ctx, e.getStatus(), codeFor(e.getStatus()), e.getMessage(), Map.copyOf(e.getDetails())));
        routes.exception(Exception.class, (e, ctx) -> {
            log.error("unhandled error in {} {}", ctx.method(), ctx.path(), e);
            write(ctx, 500, "internal_error",
                    "The server failed to handle this request; its log has the cause under this request id.", Map.of());
        });
        routes.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                write(ctx, 404, "not_found", "No route for " + ctx.method() + " " + ctx.path() + ".", Map.of());
            }
        });
        routes.error(405, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                write(ctx, 405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path() + ".", Map.of());
            }
        });
    }

    static void write(Context ctx, int status, String code, String message, Map<String, ?> details) {
        ctx.status(status).json(ErrorBody.of(code, message, Map.copyOf(details), RequestIds.of(ctx)));
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
