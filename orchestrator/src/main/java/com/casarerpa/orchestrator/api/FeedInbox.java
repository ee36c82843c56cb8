package com.casarerpa.orchestrator.api;

import com.casarerpa.orchestrator.events.ChangeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a live feed received and has not sent yet: its subscription adds, its request thread
 * takes. Bounded: when more than {@code capacity} wait, they are dropped and the next take says
 * so ({@code lost}: the feed sends {@code reset}). A lock and condition rather than a monitor, so
 * a waiting virtual thread does not hold its carrier.
 */
final class FeedInbox {
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<ChangeEvent> events = new ArrayList<>();
    private boolean lost;
    private boolean stopped;

    FeedInbox(int capacity) {
        this.capacity = capacity;
    }

    /** The events taken, and whether some were dropped before them. */
    record Taken(List<ChangeEvent> events, boolean lost) {}

    void add(List<ChangeEvent> batch) {
        lock.lock();
        try {
            if (events.size() + batch.size() > capacity) {
                lost = true;
                events.clear();
            } else {
                events.addAll(batch);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends every take, now and later. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until there is something to take and it is {@code notBefore} (both {@link System#nanoTime}),
     * or until {@code deadline} whatever there is, then takes it all.
     *
     * @return empty when stopped (or interrupted)
     */
    Optional<Taken> take(long deadline, long notBefore) {
        lock.lock();
        try {
            long now = System.nanoTime();
            while (!stopped && now < deadline && (events.isEmpty() && !lost || now < notBefore)) {
                long until = events.isEmpty() && !lost ? deadline : Math.min(deadline, notBefore);
                changed.awaitNanos(Math.max(1, until - now));
                now = System.nanoTime();
            }
            if (stopped) {
                return Optional.empty();
            }
            Taken t = new Taken(List.copyOf(events), lost);
            events.clear();
            lost = false;
            return Optional.of(t);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }
}
