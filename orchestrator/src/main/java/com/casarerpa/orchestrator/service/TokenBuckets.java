package com.casarerpa.orchestrator.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
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
public final class TokenBuckets implements RateBudget {
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

    @Override
    public RateLimitPolicy policy() {
        return policy;
    }

    /** Takes one token from {@code key}'s bucket, creating a full bucket for a new key. */
    @Override
    public RateDecision tryTake(String key) {
        return RateDecision.of(policy, buckets.get(key, k -> newBucket()).tryConsumeAndReturnRemaining(1));
    }

    /**
     * Whether {@code key}'s bucket has a token now, without taking it: for a check that must come
     * before the work that decides whether a token is taken at all. A key never seen has a full bucket.
     */
    @Override
    public RateDecision peek(String key) {
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket == null) {
            return RateDecision.allowed(policy, policy.burst());
        }
        return RateDecision.of(policy, bucket.estimateAbilityToConsume(1));
    }

    /** Buckets currently held (after dropping expired ones); for tests and diagnostics. */
    public long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private Bucket newBucket() {
        return Bucket.builder().addLimit(policy.bandwidth()).withCustomTimePrecision(time).build();
    }
}
