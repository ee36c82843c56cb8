package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.metrics.HttpMetrics;
import com.casarerpa.orchestrator.metrics.HttpMetrics.RateLimitScope;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.service.RateBudget;
import com.casarerpa.orchestrator.service.RateDecision;
import com.casarerpa.orchestrator.service.RateLimitPolicy;
import com.casarerpa.orchestrator.service.TokenBuckets;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.TimeMeter;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Rate limiting of the REST API (docs/rest-api.md, "Rate limits"): a token bucket per caller,
 * per API key when the request is authenticated (a JWT counts as the key it was issued for),
 * per client address ({@link RequestOrigin}) when it is not. Public routes ({@code /health}, {@code /ready}) are never
 * limited, so load balancers and monitors cannot be locked out.
 *
 * <p>Refused credentials (missing, unknown, expired, revoked), on REST and in robot channel
 * handshakes alike, draw on one more bucket per client address; while it is empty, every request
 * from that address that needs credentials is refused before they are looked up, so guessing
 * keys costs the database nothing past the budget. Credentials this instance accepted within the
 * last hour still go through (they are looked up as always, so a revocation still holds): a flood
 * of bad keys from an address shared by many clients (a NAT, a proxy) does not lock out the
 * robots and people who already work from there. Only their SHA-256 is kept, in memory.
 *
 * <p>Robot routes ({@link Access#ROBOT}: heartbeats, claims, lease renewals, reports) draw on a
 * separate budget per key, {@value #ROBOT_BUDGET_FACTOR} times the configured rate and burst,
 * so that a robot is never starved by its own protocol traffic and an API user's burst of
 * requests never delays a robot's heartbeat.
 *
 * <p>Opening a robot connection draws on a third budget per key, {@code robots.connect_limit.*}
 * (sized for a fleet: its robots all reconnect at once when their instance dies), so that a
 * reconnect storm neither spends nor is refused by the key's request budget.
 *
 * <p>Without Redis, buckets live in this instance's memory: with N instances a caller may get up
 * to N times the configured rate. With {@code redis.url} they are shared by every instance
 * ({@link com.casarerpa.orchestrator.service.SharedTokenBuckets}), falling back to this instance's
 * own while Redis does not answer. The credentials accepted recently are this instance's in
 * either case. Every refusal is counted ({@code casare_rate_limited_total}): scope
 * {@code credentials} for an address past its refused-credentials budget, {@code robot_connections}
 * for a key past its connection budget, {@code api} otherwise.
 */
public final class RateLimits {
    public static final String LIMIT_HEADER = "X-RateLimit-Limit";
    public static final String REMAINING_HEADER = "X-RateLimit-Remaining";
    public static final String RETRY_AFTER_HEADER = "Retry-After";
    /** Robot routes get this many times the configured requests per minute and burst. */
    public static final int ROBOT_BUDGET_FACTOR = 10;
    private static final String REFUSED_PER = "client address with refused credentials";
    private static final String CONNECTIONS_PER = "API key's robot connections";

    private static final int TRUSTED_MAX = 10_000;
    private static final Duration TRUSTED_FOR = Duration.ofHours(1);

    private final RateBudget standard;
    private final RateBudget robots;
    private final RateBudget connections;
    private final HttpMetrics metrics;
    private final Cache<String, Boolean> accepted =
            Caffeine.newBuilder().maximumSize(TRUSTED_MAX).expireAfterWrite(TRUSTED_FOR).build();

    private RateLimits(RateBudget standard, RateBudget robots, RateBudget connections, HttpMetrics metrics) {
        this.standard = standard;
        this.robots = robots;
        this.connections = connections;
        this.metrics = metrics;
    }

    /**
     * The production limits: {@code orchestrator.rate_limit.*}, robots at {@value #ROBOT_BUDGET_FACTOR}×,
     * robot connections at {@code connections} ({@code robots.connect_limit.*}); refusals counted in {@code metrics}.
     */
    public static RateLimits from(OrchestratorSettings.RateLimit settings, RateLimitPolicy connections, HttpMetrics metrics) {
        return from(settings, connections, metrics, local(TimeMeter.SYSTEM_NANOTIME));
    }

    /** As {@link #from(OrchestratorSettings.RateLimit, RateLimitPolicy, HttpMetrics)}, with buckets made by {@code budgets} (shared ones, say). */
    public static RateLimits from(OrchestratorSettings.RateLimit settings, RateLimitPolicy connections, HttpMetrics metrics,
            RateBudget.Factory budgets) {
        RateLimitPolicy policy = new RateLimitPolicy(settings.requestsPerMinute(), settings.burst());
        return new RateLimits(budgets.budget("api", policy), budgets.budget("robot", policy.times(ROBOT_BUDGET_FACTOR)),
                budgets.budget("connect", connections), metrics);
    }

    /** Limits with {@code policy} for API callers, {@value #ROBOT_BUDGET_FACTOR}× it for robot routes and robot connections. */
    public static RateLimits of(RateLimitPolicy policy, RateLimitPolicy connections, TimeMeter time) {
        RateBudget.Factory budgets = local(time);
        return new RateLimits(budgets.budget("api", policy), budgets.budget("robot", policy.times(ROBOT_BUDGET_FACTOR)),
                budgets.budget("connect", connections), HttpMetrics.none());
    }

    /** Limits with {@code policy} in buckets made by {@code budgets}; refusals not counted. */
    public static RateLimits of(RateLimitPolicy policy, RateBudget.Factory budgets) {
        return of(policy, budgets, HttpMetrics.none());
    }

    /** Limits with {@code policy} for API callers and {@value #ROBOT_BUDGET_FACTOR}× it for robot routes; refusals not counted. */
    public static RateLimits of(RateLimitPolicy policy, TimeMeter time) {
        return of(policy, local(time), HttpMetrics.none());
    }

    private static RateBudget.Factory local(TimeMeter time) {
        return (name, policy) -> new TokenBuckets(policy, time, TokenBuckets.DEFAULT_MAX_KEYS);
    }

    private static RateLimits of(RateLimitPolicy policy, RateBudget.Factory budgets, HttpMetrics metrics) {
        RateLimitPolicy robot = policy.times(ROBOT_BUDGET_FACTOR);
        return new RateLimits(budgets.budget("api", policy), budgets.budget("robot", robot), budgets.budget("connect", robot), metrics);
    }

    /**
     * Charges this request to its caller's bucket, right after authentication decided who the
     * caller is. Sets {@code X-RateLimit-Limit} and {@code X-RateLimit-Remaining}; over the limit
     * also {@code Retry-After} and throws.
     *
     * @param access the route's declared access; {@link Access#PUBLIC} routes are not limited
     * @param caller the authenticated caller, or empty (then the client address is charged)
     * @throws ApiError 429 {@code rate_limited} with {@code details.retry_after_seconds}
     */
    public void enforce(Context ctx, Access access, Optional<Actor> caller) {
        if (access.kind() == Access.Kind.PUBLIC) {
            return;
        }
        if (caller.isPresent()) {
            Actor actor = caller.get();
            RateBudget budget = access.robotProtocol() ? robots : standard;
            charge(ctx, budget, "key:" + actor.kind() + ":" + actor.id(), "API key");
        } else {
            enforceByAddress(ctx);
        }
    }

    /**
     * Charges the opening of a robot connection to its key's connection budget
     * ({@code robots.connect_limit.*}), not to its request budget.
     *
     * @throws ApiError 429 {@code rate_limited} with {@code Retry-After}
     */
    public void enforceConnection(Context ctx, Actor actor) {
        charge(ctx, connections, "key:" + actor.kind() + ":" + actor.id(), CONNECTIONS_PER);
    }

    /**
     * Before the credentials of a request are looked up: 429 when its client address has spent its
     * budget of refused credentials ({@link #credentialsRefused}), unless it sends a credential
     * this instance accepted recently ({@link #credentialsAccepted}). Takes no token.
     */
    public void beforeCredentials(Context ctx, Optional<String> credential) {
        RateDecision decision = standard.peek(refusedKey(ctx));
        if (!decision.allowed() && credential.map(c -> accepted.getIfPresent(WorkflowJson.sha256(c)) == null).orElse(true)) {
            refuse(ctx, standard, decision, REFUSED_PER);
        }
    }

    /** The credential was accepted: it passes {@link #beforeCredentials} for the next hour. */
    public void credentialsAccepted(String credential) {
        accepted.put(WorkflowJson.sha256(credential), Boolean.TRUE);
    }

    /** The credentials of a request were refused: charged to its client address, 429 instead of 401 past the budget. */
    public void credentialsRefused(Context ctx) {
        charge(ctx, standard, refusedKey(ctx), REFUSED_PER);
    }

    private static String refusedKey(Context ctx) {
        return "refused:" + RequestOrigin.of(ctx).clientAddress();
    }

    /**
     * Charges this request to the client address, whoever the caller is. For the few public
     * routes that must be limited all the same: the token exchange ({@code POST /api/v1/auth/token}),
     * which checks secrets, and the webhook receiving route.
     */
    public void enforceByAddress(Context ctx) {
        charge(ctx, standard, "address:" + RequestOrigin.of(ctx).clientAddress(), "client address");
    }

    private void charge(Context ctx, RateBudget budget, String key, String per) {
        RateDecision decision = budget.tryTake(key);
        if (!decision.allowed()) {
            refuse(ctx, budget, decision, per);
        }
        ctx.header(LIMIT_HEADER, Long.toString(decision.limit()));
        ctx.header(REMAINING_HEADER, Long.toString(decision.remaining()));
    }

    private void refuse(Context ctx, RateBudget budget, RateDecision decision, String per) {
        metrics.rateLimited(switch (per) {
            case REFUSED_PER -> RateLimitScope.CREDENTIALS;
            case CONNECTIONS_PER -> RateLimitScope.ROBOT_CONNECTIONS;
            default -> RateLimitScope.API;
        });
        ctx.header(LIMIT_HEADER, Long.toString(decision.limit()));
        ctx.header(REMAINING_HEADER, "0");
        ctx.header(RETRY_AFTER_HEADER, Long.toString(decision.retryAfterSeconds()));
        RateLimitPolicy policy = budget.policy();
        throw new ApiError(429, "rate_limited",
                "Too many requests for this " + per + ": the limit is " + policy.requestsPerMinute()
                        + (per.equals(CONNECTIONS_PER) ? " connections" : " requests") + " per minute with bursts of " + policy.burst() + ". Retry after "
                        + decision.retryAfterSeconds() + " s.",
                Map.of("retry_after_seconds", decision.retryAfterSeconds()));
    }
}
