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
 * {@code perCaller} at once per caller (a person, a key), a new one ending the caller's oldest
 * (a page that reloads leaves its old stream behind until the server next writes to it, up to a
 * keepalive later: refusing the new one would refuse the live page for a dead one); all of them
 * ended when the instance stops, at once, so the server's drain does not wait for them.
 */
public final class LiveFeeds implements AutoCloseable {
    private final ChangeEvents events;
    private final ChangeFolders folders;
    private final int perCaller;
    private final Map<String, java.util.ArrayDeque<Opened>> byCaller = new HashMap<>();
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
        private final Runnable replace;
        private boolean done;

        private Opened(String caller, Runnable stop, Runnable replace) {
            this.caller = caller;
            this.stop = stop;
            this.replace = replace;
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
                byCaller.computeIfPresent(caller, (k, open) -> {
                    open.remove(this);
                    return open.isEmpty() ? null : open;
                });
            } finally {
                lock.unlock();
            }
        }
    }

    /** Why a feed was not opened: the instance is stopping. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * Opens a feed of {@code caller} (kind and id of the actor); {@code stop} ends it when the
     * instance stops, {@code replace} when a newer feed of the caller takes its place (both must
     * return at once).
     *
     * @throws Refused when the instance is stopping
     */
    public Opened open(String caller, Runnable stop, Runnable replace) {
        Opened oldest = null;
        Opened opened;
        lock.lock();
        try {
            if (closed) {
                throw new Refused("this instance is stopping; connect again (to another instance)");
            }
            java.util.ArrayDeque<Opened> open = byCaller.computeIfAbsent(caller, k -> new java.util.ArrayDeque<>());
            if (open.size() >= perCaller) {
                oldest = open.peekFirst();
            }
            opened = new Opened(caller, stop, replace);
            open.addLast(opened);
            stops.add(stop);
        } finally {
            lock.unlock();
        }
        if (oldest != null) {
            // Ended outside the lock (its stop returns at once); its close gives its place back.
            oldest.replace.run();
            oldest.close();
        }
        return opened;
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
