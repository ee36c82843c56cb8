package com.casarerpa.orchestrator.domain;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a failed attempt runs again: exponential backoff from {@code queue.retry_delay_seconds}
 * (base × 2^(attempt-1)), capped (never below the base), plus a random jitter of up to half the
 * backoff so that a burst of failures does not retry in lockstep. The jitter only adds: a retry
 * never comes before the backoff, so never before the configured delay.
 */
public record RetryPolicy(Duration base, Duration cap) {
    public static final Duration DEFAULT_CAP = Duration.ofHours(1);

    public RetryPolicy {
        if (base.isNegative() || cap.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
    }

    /**
     * The delay before attempt {@code failedAttempt + 1} ({@code failedAttempt} counts from 1):
     * from the backoff to one and a half times it, uniformly.
     */
    public Duration delayAfter(int failedAttempt, RandomGenerator random) {
        if (base.isZero()) {
            return Duration.ZERO;
        }
        long backoffMillis = backoff(failedAttempt).toMillis();
        long jitter = random.nextLong(backoffMillis / 2 + 1);
        return Duration.ofMillis(backoffMillis + jitter);
    }

    /** base × 2^(failedAttempt-1), at most the cap, at least the base. */
    Duration backoff(int failedAttempt) {
        int doublings = Math.min(Math.max(failedAttempt - 1, 0), 30);
        long grown;
        try {
            grown = Math.multiplyExact(base.toMillis(), 1L << doublings);
        } catch (ArithmeticException e) {
            grown = Long.MAX_VALUE;
        }
        return Duration.ofMillis(Math.max(base.toMillis(), Math.min(cap.toMillis(), grown)));
    }
}
