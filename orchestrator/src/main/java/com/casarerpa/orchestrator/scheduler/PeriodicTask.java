package com.casarerpa.orchestrator.scheduler;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one primitive for the background loops of an instance (db-scheduler's
 * {@code RunUntilShutdown}): runs a pass on its own thread, waits, runs the next, until
 * {@link #close()}. A pass that throws anything, an {@link Error} included, is logged, counted,
 * and the next pass comes after the interval: a database outage must not kill the reaper, and a
 * {@code StackOverflowError} or {@code OutOfMemoryError} of one pass must not end a loop for
 * good, silently (an instance that would rather stop on the first {@code OutOfMemoryError} runs
 * with {@code -XX:+ExitOnOutOfMemoryError}; README, "Things to note"). Passes never overlap.
 */
public final class PeriodicTask implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    /** One pass of a loop that chooses its own pace. */
    @FunctionalInterface
    public interface Pass {
        /**
         * Does the work of one pass.
         *
         * @param woken true when {@link #wake()} cut the wait before this pass short
         * @return the longest wait before the next pass ({@link #wake()} may cut it short)
         */
        Duration run(boolean woken);
    }

    private final String name;
    private final Duration interval;
    private final Pass pass;
    private final Semaphore wakeups = new Semaphore(0);
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean lastFailed;

    private PeriodicTask(String name, Duration interval, Pass pass) {
        this.name = name;
        this.interval = interval;
        this.pass = pass;
        this.thread = Thread.ofPlatform().daemon().name("casare-" + name).unstarted(this::loop);
    }

    /** Runs {@code task} every {@code interval} (after each run ends), the first time after {@code interval}. */
    public static PeriodicTask start(String name, Duration interval, Runnable task) {
        return start(name, interval, woken -> {
            task.run();
            return interval;
        });
    }

    /**
     * Runs {@code pass} after {@code interval}, then again after the wait each pass returns, or
     * after {@code interval} when a pass threw. Call {@link #wake()} for a first pass at once.
     */
    public static PeriodicTask start(String name, Duration interval, Pass pass) {
        PeriodicTask p = new PeriodicTask(name, interval, pass);
        p.thread.start();
        return p;
    }

    /** Cuts the current wait short (a burst of calls makes one pass). Never blocks; callable from any thread. */
    public void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    private void loop() {
        Duration wait = interval;
        while (running) {
            boolean woken;
            try {
                woken = wakeups.tryAcquire(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
                wakeups.drainPermits();
            } catch (InterruptedException e) {
                // Only close() interrupts; anything else that did is ignored, and the flag is clear again.
                continue;
            }
            wait = interval;
            try {
                wait = pass.run(woken);
                if (lastFailed) {
                    log.info("{} works again", name);
                    lastFailed = false;
                }
            } catch (Throwable t) {
                failed(t);
            }
        }
    }

    private void failed(Throwable t) {
        if (!running) {
            return; // interrupted by close()
        }
        failures.incrementAndGet();
        if (lastFailed) {
            log.debug("{} failed again: {}", name, t.toString());
        } else if (t instanceof Error) {
            log.error("{} failed with {} (will run again in {} ms)", name, t, interval.toMillis(), t);
        } else {
            log.warn("{} failed (will retry): {}", name, t.getMessage(), t);
        }
        lastFailed = true;
    }

    /** Passes that threw, since start. */
    public long failures() {
        return failures.get();
    }

    /** Stops the loop: a pass under way is interrupted; waits up to 5 s for it to end. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
