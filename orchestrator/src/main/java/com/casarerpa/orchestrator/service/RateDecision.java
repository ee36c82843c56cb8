package com.casarerpa.orchestrator.service;

/**
 * The answer of {@link TokenBuckets#tryTake} for one request.
 *
 * @param allowed           true when a token was taken and the request may proceed
 * @param limit             the budget's requests per minute (for {@code X-RateLimit-Limit})
 * @param remaining         whole tokens left after this request (for {@code X-RateLimit-Remaining})
 * @param retryAfterSeconds when refused, whole seconds until a token is back (at least 1); 0 when allowed
 */
public record RateDecision(boolean allowed, long limit, long remaining, long retryAfterSeconds) {

    /** What Bucket4j answered to taking one token. */
    public static RateDecision of(RateLimitPolicy policy, io.github.bucket4j.ConsumptionProbe probe) {
        return probe.isConsumed() ? allowed(policy, probe.getRemainingTokens()) : refused(policy, probe.getNanosToWaitForRefill());
    }

    /** What Bucket4j answered to whether one token could be taken. */
    public static RateDecision of(RateLimitPolicy policy, io.github.bucket4j.EstimationProbe probe) {
        return probe.canBeConsumed() ? allowed(policy, probe.getRemainingTokens()) : refused(policy, probe.getNanosToWaitForRefill());
    }

    /** A token was taken (or is there), {@code remaining} whole tokens left. */
    public static RateDecision allowed(RateLimitPolicy policy, long remaining) {
        return new RateDecision(true, policy.requestsPerMinute(), remaining, 0);
    }

    /** No token: the next comes in {@code nanosToWait}, told in whole seconds, at least 1. */
    public static RateDecision refused(RateLimitPolicy policy, long nanosToWait) {
        long seconds = Math.max(1, Math.ceilDiv(nanosToWait, java.time.Duration.ofSeconds(1).toNanos()));
        return new RateDecision(false, policy.requestsPerMinute(), 0, seconds);
    }
}
