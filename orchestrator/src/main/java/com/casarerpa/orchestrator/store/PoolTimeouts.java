package com.casarerpa.orchestrator.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of a pool's exhaustion: one WARN line with the pool's counters at the first timeout,
 * then at most one every {@link #EVERY} while timeouts go on, each counting the timeouts since
 * the line before, so a flood of requests that find no connection writes a few lines, not one
 * per request. Safe for any number of threads.
 */
final class PoolTimeouts {
    private static final Logger log = LoggerFactory.getLogger(PoolTimeouts.class);
    static final Duration EVERY = Duration.ofSeconds(30);

    /** A pool's counters when a request gave up waiting. */
    record Counters(int active, int idle, int waiting, int max) {}

    private final String pool;
    private final Duration waited;
    private final LongSupplier nanos;
    private final AtomicLong unlogged = new AtomicLong();
    /** When (nanos) the last line was written; {@link Long#MIN_VALUE}: never. */
    private final AtomicLong lastLine = new AtomicLong(Long.MIN_VALUE);

    /**
     * @param pool   the pool's name
     * @param waited its connection timeout: how long a request waited
     */
    PoolTimeouts(String pool, Duration waited, LongSupplier nanos) {
        this.pool = pool;
        this.waited = waited;
        this.nanos = nanos;
    }

    /** A request found no connection in time; logs it unless a line was written within {@link #EVERY}. */
    void timedOut(Counters c) {
        unlogged.incrementAndGet();
        long now = nanos.getAsLong();
        long last = lastLine.get();
        if (last != Long.MIN_VALUE && now - last < EVERY.toNanos()) {
            return;
        }
        if (!lastLine.compareAndSet(last, now)) {
            return;
        }
        long timeouts = unlogged.getAndSet(0);
        log.warn("database pool {} exhausted: a request waited {} ms and got no connection (active {}, idle {}, waiting {},"
                        + " max {}); {} such timeout(s) since the last line, answered 503 overloaded. The database answers;"
                        + " this instance asks more of it than its pool holds: a slow statement or a held lock keeps"
                        + " connections busy, or database.pool_size + database.max_overflow is too small for the load"
                        + " (docs/operations.md, \"The connection pool is exhausted\")",
                pool, waited.toMillis(), c.active(), c.idle(), c.waiting(), c.max(), timeouts);
    }
}
