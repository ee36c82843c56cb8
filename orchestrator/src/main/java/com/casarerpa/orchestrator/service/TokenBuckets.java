package com.casarerpa.orchestrator.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
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
        if (probe.isConsumed()) {
            return new RateDecision(true, policy.requestsPerMinute(), probe.getRemainingTokens(), 0);
        }
        long seconds = Math.max(1, Math.ceilDiv(probe.getNanosToWaitForRefill(), Duration.ofSeconds(1).toNanos()));
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
