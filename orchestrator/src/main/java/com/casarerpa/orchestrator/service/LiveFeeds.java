package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.events.ChangeEvents;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The live feeds ({@code GET /api/v1/events}) open on this instance: at most
 * {@code perCaller} at once per caller (a person, a key); all of them ended when the instance
 * stops, at once, so the server's drain does not wait for them.
 */
public final class LiveFeeds implements AutoCloseable {
    private final ChangeEvents events;
    private final ChangeFolders folders;
    private final int perCaller;
    private final Map<String, Integer> byCaller = new HashMap<>();
    private final Set<Runnable> stops = new LinkedHashSet<>();
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    public LiveFeeds(ChangeEvents events, ChangeFolders folders, int perCaller) {
        this.events = events;
        this.folders = folders;
        this.perCaller = perCaller;
    }

    public ChangeEvents events() {
        return events;
    }

    public ChangeFolders folders() {
        return folders;
    }

    public int perCaller() {
        return perCaller;
    }

    /** An open feed's place; closing it (once or more) gives the place back. */
    public final class Opened implements AutoCloseable {
        private final String caller;
        private final Runnable stop;
        private boolean done;

        private Opened(String caller, Runnable stop) {
            this.caller = caller;
            this.stop = stop;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (done) {
                    return;
                }
                done = true;
                stops.remove(stop);
                byCaller.computeIfPresent(caller, (k, n) -> n == 1 ? null : n - 1);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Why a feed was not opened. */
    public static final class Refused extends RuntimeException {
        private final boolean stopping;

        Refused(boolean stopping, String message) {
            super(message);
            this.stopping = stopping;
        }

        /** True when the instance is stopping; false when the caller holds its limit of feeds. */
        public boolean stopping() {
            return stopping;
        }
    }

    /**
     * Opens a feed of {@code caller} (kind and id of the actor); {@code stop} ends it when the
     * instance stops (it must return at once).
     *
     * @throws Refused when the instance is stopping, or the caller holds {@code perCaller} feeds here already
     */
    public Opened open(String caller, Runnable stop) {
        lock.lock();
        try {
            return openLocked(caller, stop);
        } finally {
            lock.unlock();
        }
    }

    private Opened openLocked(String caller, Runnable stop) {
        if (closed) {
            throw new Refused(true, "this instance is stopping; connect again (to another instance)");
        }
        if (byCaller.getOrDefault(caller, 0) >= perCaller) {
            throw new Refused(false, "at most " + perCaller + " live feeds may be open at once per caller on one instance;"
                    + " close one first (a page needs one feed, filtered on the client)");
        }
        byCaller.merge(caller, 1, Integer::sum);
        stops.add(stop);
        return new Opened(caller, stop);
    }

    /** Feeds open now. */
    public int open() {
        lock.lock();
        try {
            return stops.size();
        } finally {
            lock.unlock();
        }
    }

    /** Ends every feed and opens no more. */
    @Override
    public void close() {
        List<Runnable> all;
        lock.lock();
        try {
            closed = true;
            all = List.copyOf(stops);
        } finally {
            lock.unlock();
        }
        all.forEach(Runnable::run);
    }
}
