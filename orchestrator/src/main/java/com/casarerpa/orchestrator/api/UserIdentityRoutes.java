package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.domain.UserIdentity;
import com.casarerpa.orchestrator.service.UserIdentities;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import java.time.Instant;
import java.util.List;

/**
 * {@code /api/v1/users/{id}/identities}: a user's single sign-on identities, for administrators.
 * Linking is how an existing user (one made with a password, say) gets to sign in through the
 * identity provider: sign-in itself never links by email.
 */
public final class UserIdentityRoutes implements RouteGroup {
    private static final String PATH = "/api/v1/users/{id}/identities";
    private static final long MAX_BODY = 16 * 1024;

    private final UserIdentities identities;

    public UserIdentityRoutes(UserIdentities identities) {
        this.identities = identities;
    }

    /** One identity as the API shows it. */
    record IdentityBody(String issuer, String subject, String userId, String email, Instant linkedAt) {
        static IdentityBody of(UserIdentity i) {
            return new IdentityBody(i.issuer(), i.subject(), i.userId(), i.email().orElse(null), i.linkedAt());
        }
    }

    record IdentityList(List<IdentityBody> items) {}

    @Override
    public void register(RoutesConfig routes) {
        routes.get(PATH, ctx -> ctx.json(new IdentityList(identities.of(ctx.pathParam("id")).stream().map(IdentityBody::of).toList())),
                Access.to(Permission.USER_MANAGE));
        routes.post(PATH, ctx -> {
            JsonNode body = RequestBodies.onlyFields(RequestBodies.object(ctx, MAX_BODY), "an identity link", "issuer", "subject");
            UserIdentity linked = identities.link(ctx.pathParam("id"), RequestBodies.requiredString(body, "issuer"),
                    RequestBodies.requiredString(body, "subject"), Callers.of(ctx));
            ctx.status(201).json(IdentityBody.of(linked));
        }, Access.to(Permission.USER_MANAGE));
        routes.delete(PATH, ctx -> {
            identities.unlink(ctx.pathParam("id"), required(ctx.queryParam("issuer"), "issuer"),
                    required(ctx.queryParam("subject"), "subject"), Callers.of(ctx));
            ctx.status(204);
        }, Access.to(Permission.USER_MANAGE));
    }

    private static String required(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw ApiError.invalidField(name, "is required (a query parameter)");
        }
        return value;
    }
}
