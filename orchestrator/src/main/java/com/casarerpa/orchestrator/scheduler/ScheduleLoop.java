package com.casarerpa.orchestrator.scheduler;

import com.casarerpa.orchestrator.service.LoopStatus;
import java.time.Duration;
import java.util.Optional;

/**
 * The scheduler loop of an instance (every instance runs one; no leader): fire what is due,
 * then sleep until the earliest next fire time, at most {@code poll}. {@link #wake()} cuts the
 * sleep short (a schedule was created or changed here). Other instances' changes are seen at the
 * next poll, so a fire is late by at most the poll interval plus the time to fire; with the
 * default 500 ms poll that stays under a second. A failing pass (database away) is logged,
 * counted and retried after the poll interval ({@link BackgroundLoop}).
 */
public final class ScheduleLoop implements AutoCloseable {
    /** Without a completed pass for this long, the instance is not ready: its fires would be that late. */
    public static final Duration STALLED_AFTER = Duration.ofSeconds(60);

    private final BackgroundLoop task;

    private ScheduleLoop(FireDueSchedules pass, Duration poll) {
        this.task = BackgroundLoop.named("scheduler").every(poll).stalledAfter(STALLED_AFTER).start(woken -> {
            pass.run();
            Optional<Duration> next = pass.untilNext();
            return next.isPresent() && next.get().compareTo(poll) < 0 ? next.get() : poll;
        });
    }

    /** Starts the loop; its first pass runs at once. */
    public static ScheduleLoop start(FireDueSchedules pass, Duration poll) {
        ScheduleLoop l = new ScheduleLoop(pass, poll);
        l.wake();
        return l;
    }

    /** Look now (something changed); cheap, callable from any thread. */
    public void wake() {
        task.wake();
    }

    /** Passes that threw, since start. */
    public long failures() {
        return task.failures();
    }

    public LoopStatus status() {
        return task.status();
    }

    @Override
    public void close() {
        task.close();
    }
}
