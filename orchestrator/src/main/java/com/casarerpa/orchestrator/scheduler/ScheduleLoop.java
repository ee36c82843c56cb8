package com.casarerpa.orchestrator.scheduler;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler thread of an instance (every instance runs one; no leader): fire what is due,
 * then sleep until the earliest next fire time, at most {@code poll}. {@link #wake()} cuts the
 * sleep short (a schedule was created or changed here). Other instances' changes are seen at the
 * next poll, so a fire is late by at most the poll interval plus the time to fire; with the
 * default 500 ms poll that stays under a second. A failing pass (database away) is logged,
 * counted and retried after the poll interval.
 */
public final class ScheduleLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScheduleLoop.class);

    private final FireDueSchedules pass;
    private final Duration poll;
    private final Semaphore wakeups = new Semaphore(0);
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private ScheduleLoop(FireDueSchedules pass, Duration poll) {
        this.pass = pass;
        this.poll = poll;
        this.thread = Thread.ofPlatform().name("casare-scheduler").daemon().unstarted(this::loop);
    }

    public static ScheduleLoop start(FireDueSchedules pass, Duration poll) {
        ScheduleLoop l = new ScheduleLoop(pass, poll);
        l.thread.start();
        return l;
    }

    /** Look now (something changed); cheap, callable from any thread. */
    public void wake() {
        wakeups.release();
    }

    private void loop() {
        boolean lastFailed = false;
        while (running) {
            Duration wait = poll;
            try {
                pass.run();
                Optional<Duration> next = pass.untilNext();
                if (next.isPresent() && next.get().compareTo(poll) < 0) {
                    wait = next.get();
                }
                if (lastFailed) {
                    log.info("scheduler works again");
                    lastFailed = false;
                }
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                if (!lastFailed) {
                    log.warn("scheduler pass failed (will retry): {}", e.getMessage(), e);
                }
                lastFailed = true;
            }
            try {
                if (wakeups.tryAcquire(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS)) {
                    wakeups.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Passes that threw, since start. */
    public long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
