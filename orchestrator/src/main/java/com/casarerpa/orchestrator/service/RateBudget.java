package com.casarerpa.orchestrator.service;

/**
 * Token buckets under one {@link RateLimitPolicy}, one per key (an API key, a client address):
 * this instance's own ({@link TokenBuckets}) or shared by every instance through Redis
 * ({@link SharedTokenBuckets}).
 */
public interface RateBudget {
    RateLimitPolicy policy();

    /** Takes one token from {@code key}'s bucket, creating a full bucket for a new key. */
    RateDecision tryTake(String key);

    /** Whether {@code key}'s bucket has a token now, without taking it. A key never seen has a full bucket. */
    RateDecision peek(String key);

    /** Makes the budgets of one kind of caller: {@code name} tells them apart where they are shared. */
    @FunctionalInterface
    interface Factory {
        RateBudget budget(String name, RateLimitPolicy policy);
    }
}
