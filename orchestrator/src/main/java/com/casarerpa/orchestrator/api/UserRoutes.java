package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.service.Users;
import com.casarerpa.protocol.rest.UserBodies;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/v1/users}: people's accounts, for admins ({@code user.manage}). A new user gets a
 * one-time set-password token instead of a password; so does a reset. Disabling ends all the
 * user's sessions at once.
 */
public final class UserRoutes implements RouteGroup {
    private static final long MAX_BODY = 16 * 1024;
    private static final Access MANAGE = Access.to(Permission.USER_MANAGE);

    private final Users users;

    public UserRoutes(Users users) {
        this.users = users;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/users", ctx -> ctx.json(Map.of("items", users.list().stream().map(UserView::of).toList())), MANAGE);
        routes.post("/api/v1/users", ctx -> {
            JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "a new user",
                    "username", "email", "display_name");
            Users.Created created = users.create(RequestBodies.requiredString(body, "username"),
                    RequestBodies.optionalString(body, "email"), RequestBodies.optionalString(body, "display_name"), false,
                    Optional.empty(), Callers.of(ctx));
            ResponseHeaders.holdsSecret(ctx);
            ctx.status(201).json(new UserBodies.CreatedUser(UserView.of(created.user()),
                    created.setPassword().map(UserView::of).orElse(null)));
        }, MANAGE);
        routes.get("/api/v1/users/{id}", ctx -> ctx.json(UserView.of(users.get(ctx.pathParam("id")))), MANAGE);
        routes.patch("/api/v1/users/{id}", ctx -> {
            JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "a user change", "email", "display_name");
            boolean removeEmail = body.has("email") && body.get("email").isNull();
            Users.Changes changes = new Users.Changes(RequestBodies.optionalString(body, "email"), removeEmail,
                    RequestBodies.optionalString(body, "display_name"));
            ctx.json(UserView.of(users.update(ctx.pathParam("id"), changes, Callers.of(ctx))));
        }, MANAGE);
        routes.post("/api/v1/users/{id}/disable", ctx ->
                ctx.json(UserView.of(users.disable(ctx.pathParam("id"), Callers.of(ctx)))), MANAGE);
        routes.post("/api/v1/users/{id}/enable", ctx ->
                ctx.json(UserView.of(users.enable(ctx.pathParam("id"), Callers.of(ctx)))), MANAGE);
        routes.post("/api/v1/users/{id}/reset-password", ctx -> {
            UserBodies.SetPasswordToken token = UserView.of(users.resetPassword(ctx.pathParam("id"), Callers.of(ctx)));
            ResponseHeaders.holdsSecret(ctx);
            ctx.json(token);
        }, MANAGE);
    }
}
