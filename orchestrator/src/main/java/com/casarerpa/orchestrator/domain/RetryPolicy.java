package com.casarerpa.orchestrator.domain;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a failed attempt runs again: exponential backoff from {@code queue.retry_delay_seconds}
 * (base × 2^(attempt-1)), capped, with full jitter on the upper half so that a burst of failures
 * does not retry in lockstep: the delay is uniformly between half and all of the backoff.
 */
public record RetryPolicy(Duration base, Duration cap) {
    public static final Duration DEFAULT_CAP = Duration.ofHours(1);

    public RetryPolicy {
        if (base.isNegative() || cap.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
    }

    /** The delay before attempt {@code failedAttempt + 1}; {@code failedAttempt} counts from 1. */
    public Duration delayAfter(int failedAttempt, RandomGenerator random) {
        if (base.isZero()) {
            return Duration.ZERO;
        }
        int doublings = Math.min(Math.max(failedAttempt - 1, 0), 30);
        long backoffMillis = Math.min(cap.toMillis(), base.toMillis() * (1L << doublings));
        if (backoffMillis <= 0) {
            backoffMillis = cap.toMillis();
        }
        long half = backoffMillis / 2;
        return Duration.ofMillis(half + (half == 0 ? 0 : random.nextLong(backoffMillis - half + 1)));
    }
}
