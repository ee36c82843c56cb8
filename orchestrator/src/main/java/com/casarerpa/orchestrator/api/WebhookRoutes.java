package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.domain.Permission;

import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.Webhook;
import com.casarerpa.orchestrator.service.TriggerViews;
import com.casarerpa.protocol.rest.TriggerBodies;
import com.casarerpa.orchestrator.service.WebhookDelivery;
import com.casarerpa.orchestrator.service.Webhooks;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Webhook triggers: their management under {@code /api/v1/webhooks} (API keys as usual), and the
 * receiving route {@code POST /webhooks/{id}}, the one route besides {@code /health} and
 * {@code /ready} that takes no API key ({@link Access#WEBHOOK}): it checks the request's own
 * signature or key. Documented in docs/webhooks.md.
 */
public final class WebhookRoutes implements RouteGroup {
    private static final String BASE = "/api/v1/webhooks";
    public static final String RECEIVE = "/webhooks";
    /** The column's size. */
    private static final int MAX_VARIABLES_PATH_CHARS = 400;
    private static final Set<String> FIELDS = Set.of("name", "workflow_id", "workflow_name", "auth_mode", "variables_path", "job");

    private final Webhooks webhooks;
    private final Optional<String> publicBase;

    /** @param publicBase where {@code /webhooks} is reachable from outside; empty: as the request reached us */
    public WebhookRoutes(Webhooks webhooks, Optional<String> publicBase) {
        this.webhooks = webhooks;
        this.publicBase = publicBase.map(b -> b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(RECEIVE + "/{id}", this::receive, Access.WEBHOOK);
        routes.post(BASE, this::create, Access.to(Permission.WEBHOOK_CHANGE));
        routes.get(BASE, this::list, Access.to(Permission.WEBHOOK_READ));
        routes.get(BASE + "/{id}", ctx -> ctx.json(view(ctx, webhooks.get(ctx.pathParam("id"), Callers.of(ctx)),
                webhooks.folderTree())), Access.to(Permission.WEBHOOK_READ));
        routes.post(BASE + "/{id}/enable", ctx -> ctx.json(view(ctx, webhooks.setEnabled(ctx.pathParam("id"), true,
                Callers.of(ctx)), webhooks.folderTree())), Access.to(Permission.WEBHOOK_CHANGE));
        routes.post(BASE + "/{id}/disable", ctx -> ctx.json(view(ctx, webhooks.setEnabled(ctx.pathParam("id"), false,
                Callers.of(ctx)), webhooks.folderTree())), Access.to(Permission.WEBHOOK_CHANGE));
        routes.delete(BASE + "/{id}", ctx -> {
            webhooks.delete(ctx.pathParam("id"), Callers.of(ctx));
            ctx.status(204);
        }, Access.to(Permission.WEBHOOK_CHANGE));
    }

    private void create(Context ctx) {
        JsonNode body = RequestBodies.object(ctx, 1024 * 1024);
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw ApiError.invalidField(f, "unknown field; a webhook takes " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        });
        Optional<String> id = RequestBodies.optionalString(body, "workflow_id");
        Optional<String> name = RequestBodies.optionalString(body, "workflow_name");
        if (id.isPresent() == name.isPresent()) {
            throw ApiError.invalidField("workflow_id", "give workflow_id or workflow_name (one of the two)");
        }
        Webhooks.Created c = webhooks.create(RequestBodies.requiredString(body, "name"), id.or(() -> name).get(),
                RequestBodies.optionalString(body, "auth_mode").orElse("hmac"),
                RequestBodies.optionalString(body, "variables_path", MAX_VARIABLES_PATH_CHARS).orElse(""),
                Optional.ofNullable(body.get("job")).filter(j -> !j.isNull()), Callers.of(ctx));
        TriggerBodies.Webhook view = view(ctx, c.webhook(), webhooks.folderTree()).withSecret(c.secret());
        ResponseHeaders.holdsSecret(ctx);
        ctx.header("Location", BASE + "/" + c.webhook().id());
        ctx.status(201).json(view);
    }

    private void list(Context ctx) {
        Optional<String> workflow = Optional.ofNullable(ctx.queryParam("workflow_id")).filter(w -> !w.isBlank());
        List<Webhook> found = webhooks.list(workflow, WorkflowRoutes.folderParam(ctx), Callers.of(ctx));
        FolderTree tree = webhooks.folderTree();
        ctx.json(Map.of("items", found.stream().map(w -> view(ctx, w, tree)).toList()));
    }

    private void receive(Context ctx) {
        // Any body, of any content type: the sender decides; the service reads the JSON it needs.
        byte[] body = RequestBodies.bytes(ctx, Webhooks.MAX_BODY);
        Webhooks.Received r = webhooks.receive(ctx.pathParam("id"), new WebhookDelivery(body, header(ctx, "X-Casare-Timestamp"),
                header(ctx, "X-Casare-Delivery"), header(ctx, "X-Casare-Signature"), header(ctx, "X-Casare-Webhook-Key")));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("job_id", r.jobId());
        answer.put("created", r.created());
        answer.put("delivery_id", r.deliveryId().orElse(null));
        ctx.status(r.created() ? 202 : 200).json(answer);
    }

    private static Optional<String> header(Context ctx, String name) {
        return Optional.ofNullable(ctx.header(name));
    }

    private TriggerBodies.Webhook view(Context ctx, Webhook w, FolderTree tree) {
        String base = publicBase.orElseGet(() -> RequestOrigin.of(ctx).baseUrl() + RECEIVE);
        return TriggerViews.webhook(w, base + "/" + w.id(), tree);
    }
}
