package com.casarerpa.orchestrator.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;

/**
 * A token bucket per key (an API key id, a client address) under one {@link RateLimitPolicy},
 * held in this JVM only: N instances behind a load balancer allow up to N times the rate.
 *
 * <p>Memory is bounded: a bucket idle for {@link RateLimitPolicy#timeToFill()} is dropped (it
 * would be full again, so forgetting it changes nothing), and at most {@code maxKeys} buckets
 * are kept; beyond that the least recently used go first, which can only give their owners a
 * fresh, full bucket. Thread-safe.
 */
public final class TokenBuckets {
    /** Enough for every key and address a fleet really uses; at worst a few tens of MB. */
    public static final int DEFAULT_MAX_KEYS = 100_000;

    private final RateLimitPolicy policy;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;

    /**
     * @param time the clock of refills and expiry; {@link TimeMeter#SYSTEM_NANOTIME} in production,
     *             a settable one in tests
     */
    public TokenBuckets(RateLimitPolicy policy, TimeMeter time, int maxKeys) {
        this.policy = policy;
        this.time = time;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(policy.timeToFill().plus(Duration.ofSeconds(1)))
                .ticker(time::currentTimeNanos)
                .executor(Runnable::run)
                .build();
    }

    public RateLimitPolicy policy() {
        return policy;
    }

    /** Takes one token from {@code key}'s bucket, creating a full bucket for a new key. */
    public RateDecision tryTake(String key) {
        ConsumptionProbe probe = buckets.get(key, k -> newBucket()).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? allowed(probe.getRemainingTokens()) : refused(probe.getNanosToWaitForRefill());
    }

    /**
     * Whether {@code key}'s bucket has a token now, without taking it: for a check that must come
     * before the work that decides whether a token is taken at all. A key never seen has a full bucket.
     */
    public RateDecision peek(String key) {
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket == null) {
            return allowed(policy.burst());
        }
        EstimationProbe probe = bucket.estimateAbilityToConsume(1);
        return probe.canBeConsumed() ? allowed(probe.getRemainingTokens()) : refused(probe.getNanosToWaitForRefill());
    }

    private RateDecision allowed(long remaining) {
        return new RateDecision(true, policy.requestsPerMinute(), remaining, 0);
    }

    private RateDecision refused(long nanosToWait) {
        long seconds = Math.max(1, Math.ceilDiv(nanosToWait, Duration.ofSeconds(1).toNanos()));
        return new RateDecision(false, policy.requestsPerMinute(), 0, seconds);
    }

    /** Buckets currently held (after dropping expired ones); for tests and diagnostics. */
    public long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(policy.burst()).refillGreedy(policy.requestsPerMinute(), Duration.ofMinutes(1)))
                .withCustomTimePrecision(time)
                .build();
    }
}
