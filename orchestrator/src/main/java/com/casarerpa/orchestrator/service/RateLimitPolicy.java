package com.casarerpa.orchestrator.service;

import io.github.bucket4j.Bandwidth;
import java.time.Duration;

/**
 * One rate-limit budget, in the terms of nginx's {@code limit_req rate=… burst=… nodelay}: a
 * caller may send {@code burst} requests at once; tokens then come back one at a time, evenly
 * spread, at {@code requestsPerMinute} per minute (one every {@code 60 / requestsPerMinute}
 * seconds, 0.6 s with the defaults), up to {@code burst} again.
 *
 * @param requestsPerMinute sustained rate, at least 1
 * @param burst             capacity of the bucket (requests allowed at once), at least 1
 */
public record RateLimitPolicy(long requestsPerMinute, long burst) {

    public RateLimitPolicy {
        if (requestsPerMinute < 1 || burst < 1) {
            throw new IllegalArgumentException(
                    "requests_per_minute and burst must be at least 1, got " + requestsPerMinute + " and " + burst);
        }
    }

    /** How long an empty bucket takes to become full again; an idle bucket older than this is full. */
    public Duration timeToFill() {
        return Duration.ofNanos(Math.ceilDiv(Duration.ofMinutes(1).toNanos() * burst, requestsPerMinute));
    }

    /** The one limit of a bucket of this budget, in Bucket4j's terms (the same for local and shared buckets). */
    public Bandwidth bandwidth() {
        return Bandwidth.builder().capacity(burst).refillGreedy(requestsPerMinute, Duration.ofMinutes(1)).build();
    }

    /** This budget with rate and burst multiplied by {@code factor}. */
    public RateLimitPolicy times(int factor) {
        return new RateLimitPolicy(Math.multiplyExact(requestsPerMinute, factor), Math.multiplyExact(burst, factor));
    }
}
