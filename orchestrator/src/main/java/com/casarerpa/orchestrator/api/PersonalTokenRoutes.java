package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.service.AccessViews;
import com.casarerpa.orchestrator.service.PersonalTokens;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/auth/tokens}: a signed-in person's personal API tokens. Any authenticated caller
 * passes the gate ({@link Access#SIGNED_IN}); making a token needs a person as the caller (another
 * caller owns no tokens: its list is empty), and a token asks only for roles its owner holds.
 */
public final class PersonalTokenRoutes implements RouteGroup {
    private static final String BASE = "/api/v1/auth/tokens";
    private static final long MAX_BODY = 64 * 1024;
    private static final Access ACCESS = Access.SIGNED_IN;

    private final PersonalTokens tokens;
    private final Clock clock;

    public PersonalTokenRoutes(PersonalTokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(BASE, ctx -> ctx.json(Map.of("items", tokens.mine(Callers.of(ctx)).stream()
                .map(t -> AccessViews.token(t, clock.instant())).toList())), ACCESS);
        routes.post(BASE, this::create, ACCESS);
        routes.delete(BASE + "/{id}", ctx -> ctx.json(AccessViews.token(tokens.revoke(ctx.pathParam("id"), Callers.of(ctx)),
                clock.instant())), ACCESS);
    }

    private void create(Context ctx) {
        JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "a new personal token", "name",
                "expires_in_days", "bindings");
        String name = RequestBodies.requiredString(body, "name");
        PersonalTokens.Issued issued = tokens.create(name, days(body), requested(body), Callers.of(ctx));
        ResponseHeaders.holdsSecret(ctx);
        ctx.status(201).json(AccessViews.created(issued));
    }

    private static Optional<Integer> days(JsonNode body) {
        JsonNode v = body.get("expires_in_days");
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiError.invalidField("expires_in_days", "must be a whole number of days");
        }
        return Optional.of(v.intValue());
    }

    private static List<PersonalTokens.Requested> requested(JsonNode body) {
        JsonNode list = body.get("bindings");
        if (list == null || !list.isArray()) {
            throw ApiError.invalidField("bindings", "is required: an array of {\"role\": …, \"folder\": id or path}");
        }
        List<PersonalTokens.Requested> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "bindings[" + i + "]";
            JsonNode entry = list.get(i);
            if (!entry.isObject()) {
                throw ApiError.invalidField(at, "must be an object {\"role\": …, \"folder\": …}");
            }
            RequestBodies.onlyFieldsAt(entry, at, "a token's binding", "role", "folder");
            String role = RequestBodies.optionalStringAt(entry, at, "role", RequestBodies.MAX_TEXT_CHARS)
                    .orElseThrow(() -> ApiError.invalidField(at + ".role", "is required"));
            out.add(new PersonalTokens.Requested(role, RequestBodies.optionalStringAt(entry, at, "folder", RequestBodies.MAX_TEXT_CHARS)
                    .orElse(null)));
        }
        return out;
    }
}
