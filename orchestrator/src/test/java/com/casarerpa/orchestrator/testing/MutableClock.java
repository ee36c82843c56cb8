package com.casarerpa.orchestrator.testing;

import java.time.Duration;
import java.time.Instant;

/** A clock a test moves by hand, so time-based rules are tested without waiting. */
public final class MutableClock extends TestClock {
    private volatile Instant now;

    public MutableClock(Instant start) {
        this.now = start;
    }

    public void advance(Duration by) {
        now = now.plus(by);
    }

    @Override
    public Instant instant() {
        return now;
    }
}
