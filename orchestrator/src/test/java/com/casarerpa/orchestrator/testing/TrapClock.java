package com.casarerpa.orchestrator.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link MutableClock} that throws an {@link Error} once at the first read on a thread whose
 * name starts with an armed prefix ({@code casare-dispatcher}, say): the way to make one
 * background loop of a running instance fail with an Error, and no other code.
 */
public final class TrapClock extends Clock {
    private final MutableClock time;
    private final Set<String> armed = ConcurrentHashMap.newKeySet();
    private final Set<String> sprung = ConcurrentHashMap.newKeySet();

    public TrapClock(Instant start) {
        this.time = new MutableClock(start);
    }

    /** The next read on a thread named {@code prefix…} throws a {@link StackOverflowError}. */
    public void arm(String... prefixes) {
        armed.addAll(Set.of(prefixes));
    }

    /** The prefixes whose trap went off. */
    public Set<String> sprung() {
        return Set.copyOf(sprung);
    }

    public void advance(Duration by) {
        time.advance(by);
    }

    @Override
    public Instant instant() {
        String thread = Thread.currentThread().getName();
        for (String prefix : armed) {
            if (thread.startsWith(prefix) && armed.remove(prefix)) {
                sprung.add(prefix);
                throw new StackOverflowError("thrown by the test's clock on thread " + thread);
            }
        }
        return time.instant();
    }

    @Override
    public ZoneId getZone() {
        return time.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
