package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.metrics.HttpMetrics;
import com.casarerpa.orchestrator.metrics.HttpMetrics.WebhookResult;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Optional;

/**
 * Records each answered REST request under its route template ({@code /api/v1/jobs/{id}}, never
 * the path itself, so the series stay few; {@value #UNMATCHED} when no route matched), and each
 * webhook delivery by its answer. Scrapes of {@code /metrics} are not counted.
 */
public final class RequestMetrics implements HttpApi.Observer {
    static final String UNMATCHED = "unmatched";
    private static final String WEBHOOK_DELIVERY = WebhookRoutes.RECEIVE + "/{id}";

    private final HttpMetrics metrics;

    public RequestMetrics(HttpMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void answered(Context ctx, Duration took) {
        String endpoint = Optional.ofNullable(ctx.endpoints().matchedHttpEndpoint()).map(e -> e.path).orElse(UNMATCHED);
        if (endpoint.equals(MetricsRoutes.PATH)) {
            return;
        }
        String method = ctx.method().name();
        int status = ctx.status().getCode();
        metrics.answered(method, endpoint, status, took);
        if (endpoint.equals(WEBHOOK_DELIVERY) && method.equals("POST")) {
            metrics.webhookDelivery(webhookResult(status));
        }
    }

    /** A delivery's result from its answer (docs/webhooks.md, "Answers"); a conflict or a body too large is invalid. */
    static WebhookResult webhookResult(int status) {
        return switch (status) {
            case 202 -> WebhookResult.ACCEPTED;
            case 200 -> WebhookResult.REPLAYED;
            case 401 -> WebhookResult.UNAUTHORIZED;
            case 404 -> WebhookResult.NOT_FOUND;
            case 429 -> WebhookResult.RATE_LIMITED;
            default -> status >= 500 ? WebhookResult.UNAVAILABLE : WebhookResult.INVALID;
        };
    }
}
