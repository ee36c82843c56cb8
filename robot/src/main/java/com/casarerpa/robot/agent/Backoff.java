package com.casarerpa.robot.agent;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The reconnect delays of docs/websocket-api.md ("Reconnecting"): a draw from 0 to
 * {@code min(cap, base × 2^failures)} (full jitter, so that a fleet whose instance died comes back
 * spread over the whole interval, not in one wave), after the server's {@code Retry-After} when
 * it refused the handshake with one; a close that is the server's own failure (1011, 1013) is
 * retried soon instead. Not thread-safe: the connection loop owns it.
 */
final class Backoff {
    /** However small the server's hint, no faster than this. */
    private static final Duration MIN_RETRY = Duration.ofMillis(100);
    private final Duration base;
    private final Duration cap;
    private final RandomGenerator random;
    private int failures;

    Backoff(Duration base, Duration cap, RandomGenerator random) {
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    /** The delay before the next attempt; counts one more failure. */
    Duration next() {
        long full = Math.min(cap.toMillis(), base.toMillis() << Math.min(failures, 20));
        failures++;
        return Duration.ofMillis(random.nextLong(full + 1));
    }

    /**
     * The delay after a refused handshake (429, 503): the server's {@code Retry-After} (zero
     * without one) plus {@link #next()}, so that robots refused together do not all come back at
     * the instant the header names.
     */
    Duration afterRefusal(Duration retryAfter) {
        return retryAfter.plus(next());
    }

    /**
     * The delay before reconnecting after the server closed with {@code code}: after 1008 (a
     * robot defect) from the cap on; after 1011 or 1013 (the server's own failure)
     * {@link #retrySoon}, with the server's {@code hint}; otherwise {@link #next()}.
     */
    Duration afterClose(int code, Duration hint) {
        if (serverSide(code)) {
            return retrySoon(hint);
        }
        if (code == 1008) {
            jumpToCap();
        }
        return next();
    }

    /** 1011 (server error) and 1013 (try again later): the server failed, not the robot. */
    static boolean serverSide(int code) {
        return code == 1011 || code == 1013;
    }

    /**
     * After the server closed with 1011 or 1013 (its own failure, "try again later"): a prompt
     * retry, after the server's hint ({@code retry_after_ms}, else the base delay) plus up to half
     * of it as jitter, so robots turned away together do not come back together. Not counted as a
     * failure of the robot: the delays of {@link #next()} do not grow.
     */
    Duration retrySoon(Duration hint) {
        long wait = hint.isZero() ? base.toMillis() : Math.max(hint.toMillis(), MIN_RETRY.toMillis());
        return Duration.ofMillis(wait + random.nextLong(wait / 2 + 1));
    }

    /** After a connection that stayed up long enough: start again from the base delay. */
    void reset() {
        failures = 0;
    }

    /** After close 1008 (a robot defect): the next delays start at the cap. */
    void jumpToCap() {
        failures = 20;
    }

    int failures() {
        return failures;
    }
}
