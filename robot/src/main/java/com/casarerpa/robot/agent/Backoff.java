package com.casarerpa.robot.agent;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The reconnect delays of docs/websocket-api.md ("Reconnecting"): {@code min(cap, base × 2^failures)},
 * slept with equal jitter (between half and all of it). Not thread-safe: the connection loop owns it.
 */
final class Backoff {
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
        long half = full / 2;
        return Duration.ofMillis(half + (half == 0 ? 0 : random.nextLong(half + 1)));
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
