package com.casarerpa.orchestrator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The REST API's series: requests by route template and status, their latency, webhook
 * deliveries by result, rate-limit refusals by scope. Label values are bounded by their callers
 * (route templates, not paths) or by the enums here.
 */
public final class HttpMetrics {
    /** What a rate limit refused. */
    public enum RateLimitScope {
        /** A REST request (or a robot's WebSocket handshake) over its key's or address's budget. */
        API,
        /** A message on a robot's WebSocket over the connection's budget. */
        ROBOT_MESSAGES,
        /** A request from an address that had too many credentials refused. */
        CREDENTIALS,
        /** A robot's WebSocket handshake over its key's connection budget ({@code robots.connect_limit.per_minute}, 429). */
        ROBOT_CONNECTIONS,
        /** A robot's WebSocket handshake while its instance had as many robots registering as it takes (503). */
        ROBOT_REGISTERING;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a webhook delivery ended (docs/webhooks.md, "Answers"). */
    public enum WebhookResult {
        ACCEPTED, REPLAYED, UNAUTHORIZED, INVALID, NOT_FOUND, RATE_LIMITED, UNAVAILABLE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Meter.MeterProvider<Counter> requests;
    private final Meter.MeterProvider<Timer> durations;
    private final Map<RateLimitScope, Counter> rateLimited = new EnumMap<>(RateLimitScope.class);
    private final Map<WebhookResult, Counter> deliveries = new EnumMap<>(WebhookResult.class);

    HttpMetrics(MeterRegistry registry) {
        requests = Counter.builder("casare.api.requests").description("REST requests answered, by route template and status")
                .withRegistry(registry);
        durations = Histograms.timer("casare.http.request.duration", "REST request latency by route template",
                Histograms.REQUESTS).withRegistry(registry);
        for (RateLimitScope s : RateLimitScope.values()) {
            rateLimited.put(s, Counter.builder("casare.rate.limited").description("Requests or messages refused by a rate limit")
                    .tag("scope", s.label()).register(registry));
        }
        for (WebhookResult r : WebhookResult.values()) {
            deliveries.put(r, Counter.builder("casare.webhook.deliveries").description("Webhook deliveries received, by outcome")
                    .tag("result", r.label()).register(registry));
        }
    }

    /** Records nothing: for an API built without metrics (tests). */
    public static HttpMetrics none() {
        return new HttpMetrics(new CompositeMeterRegistry());
    }

    /**
     * A REST request was answered.
     *
     * @param endpoint the route template ({@code /api/v1/jobs/{id}}), or {@code unmatched}
     */
    public void answered(String method, String endpoint, int status, Duration took) {
        requests.withTags("method", method, "endpoint", endpoint, "status", Integer.toString(status)).increment();
        durations.withTags("method", method, "endpoint", endpoint).record(took);
    }

    public void webhookDelivery(WebhookResult result) {
        deliveries.get(result).increment();
    }

    public void rateLimited(RateLimitScope scope) {
        rateLimited.get(scope).increment();
    }
}
