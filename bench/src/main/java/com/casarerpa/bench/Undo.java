package com.casarerpa.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the run started and must take down again, however it ends: a server process, a database,
 * a work directory. Each step runs once, last in first out: when its owner closes it on the
 * normal path (or on an exception, from a {@code finally}), or else from a shutdown hook when the
 * JVM is told to stop (Ctrl-C, SIGTERM, {@code System.exit}). A {@code kill -9} of this JVM runs no
 * hook: {@code scripts/bench} then stops the processes listed in {@value #PIDS_PROPERTY} and
 * drops the databases ({@code --clean-up}).
 */
final class Undo {
    /** A file to which the pid of every server started is appended, for {@code scripts/bench}. */
    static final String PIDS_PROPERTY = "casare.bench.pids";

    interface Action {
        void run() throws Exception;
    }

    private static final Deque<Step> PENDING = new ConcurrentLinkedDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("bench-undo").unstarted(Undo::runAll));
    }

    private Undo() {}

    /** Registers {@code action}; closing the step runs it (once). */
    static Step push(String what, Action action) {
        Step step = new Step(what, action);
        PENDING.push(step);
        return step;
    }

    /** Appends {@code pid} to the pid file of {@code scripts/bench}, when it gave one. */
    static void recordPid(long pid) throws IOException {
        String file = System.getProperty(PIDS_PROPERTY);
        if (file != null && !file.isBlank()) {
            Files.writeString(Path.of(file), pid + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    private static void runAll() {
        for (Step s = PENDING.poll(); s != null; s = PENDING.poll()) {
            System.err.println("bench: stopping early: " + s.what);
            try {
                s.close();
            } catch (Exception e) {
                System.err.println("bench: could not undo " + s.what + ": " + e.getMessage());
            }
        }
    }

    static final class Step implements AutoCloseable {
        private final String what;
        private final Action action;
        private final AtomicBoolean done = new AtomicBoolean();

        private Step(String what, Action action) {
            this.what = what;
            this.action = action;
        }

        @Override
        public void close() throws Exception {
            if (done.compareAndSet(false, true)) {
                PENDING.remove(this);
                action.run();
            }
        }
    }
}
