package com.casarerpa.orchestrator.scheduler;

import java.time.Duration;
import java.util.Optional;

/**
 * The scheduler loop of an instance (every instance runs one; no leader): fire what is due,
 * then sleep until the earliest next fire time, at most {@code poll}. {@link #wake()} cuts the
 * sleep short (a schedule was created or changed here). Other instances' changes are seen at the
 * next poll, so a fire is late by at most the poll interval plus the time to fire; with the
 * default 500 ms poll that stays under a second. A failing pass (database away) is logged,
 * counted and retried after the poll interval ({@link PeriodicTask}).
 */
public final class ScheduleLoop implements AutoCloseable {
    private final PeriodicTask task;

    private ScheduleLoop(FireDueSchedules pass, Duration poll) {
        this.task = PeriodicTask.start("scheduler", poll, woken -> {
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

    @Override
    public void close() {
        task.close();
    }
}
