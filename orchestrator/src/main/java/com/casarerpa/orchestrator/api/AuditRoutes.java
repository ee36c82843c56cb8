package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.store.AuditStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/v1/audit}: the audit trail, newest first, for admins. Filters {@code actor}
 * (an actor id such as a key id), {@code action}, {@code since}, {@code until}; pages of
 * {@code limit} (default 50, at most 500) continued with {@code cursor}.
 */
public final class AuditRoutes implements RouteGroup {
    private final AuditStore audit;

    public AuditRoutes(AuditStore audit) {
        this.audit = audit;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/audit", this::list, Access.ADMIN);
    }

    private void list(Context ctx) {
        int limit = limit(ctx.queryParam("limit"));
        Optional<Long> before = Optional.ofNullable(ctx.queryParam("cursor")).map(AuditRoutes::cursor);
        List<AuditStore.Event> events = audit.list(new AuditStore.Filter(
                Optional.ofNullable(ctx.queryParam("actor")), Optional.ofNullable(ctx.queryParam("action")),
                instant(ctx, "since"), instant(ctx, "until"), before, limit + 1));
        boolean more = events.size() > limit;
        List<AuditStore.Event> page = more ? events.subList(0, limit) : events;
        Map<String, Object> body = new HashMap<>();
        body.put("items", page);
        body.put("next_cursor", more ? Long.toString(page.getLast().id()) : null);
        ctx.json(body);
    }

    private static int limit(String text) {
        if (text == null) {
            return 50;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= 500) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiError.invalidField("limit", "expected an integer from 1 to 500, got \"" + text + "\"");
    }

    private static long cursor(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiError.invalidField("cursor", "not a cursor returned by this endpoint");
        }
    }

    private static Optional<Instant> instant(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            throw ApiError.invalidField(name, "expected an ISO-8601 instant such as 2026-11-27T00:00:00Z, got \"" + text + "\"");
        }
    }
}
