package com.casarerpa.orchestrator.scheduler;

import com.casarerpa.orchestrator.service.LoopStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one primitive for the background loops of an instance (db-scheduler's
 * {@code RunUntilShutdown}): runs a pass on its own thread ({@code casare-<name>}), waits, runs
 * the next, until {@link #close()}. Passes never overlap; {@link #wake()} cuts a wait short.
 *
 * <p>A pass that throws anything, an {@link Error} included, is counted and the next pass comes
 * after the retry wait: a database outage must not kill the reaper, and a
 * {@code StackOverflowError} or {@code OutOfMemoryError} of one pass must not end a loop for
 * good, silently (an instance that would rather stop on the first {@code OutOfMemoryError} runs
 * with {@code -XX:+ExitOnOutOfMemoryError}; README, "Things to note"). The first failure of a
 * run of failures is logged (ERROR for an {@code Error}, WARN otherwise), the next ones at DEBUG
 * only, and the first pass that completes after them logs "works again" once.
 *
 * <p>{@link #status()} tells how the loop fares (failures, last success, whether it is
 * stalled), for {@code /ready} and metrics. Its times are the system's, not an injected clock:
 * they measure the loop, not the domain.
 */
public final class BackgroundLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackgroundLoop.class);

    /** One pass of a loop that chooses its own pace. */
    @FunctionalInterface
    public interface Pass {
        /**
         * Does the work of one pass.
         *
         * @param woken true when {@link #wake()} cut the wait before this pass short
         * @return the longest wait before the next pass ({@link #wake()} may cut it short)
         * @throws Exception anything: the loop counts it and runs again after the retry wait
         */
        Duration run(boolean woken) throws Exception;
    }

    /**
     * How a loop runs: its name, the wait between passes (and after a failed one), how long after
     * its last completed pass it counts as stalled, and how far the wait after failures in a row
     * grows (doubling from {@code interval}).
     */
    public record Spec(String name, Duration interval, Optional<Duration> stalledAfter, Optional<Duration> longestRetry) {
        /** A pass every {@code every}, and the next one that long after a failed pass. */
        public Spec every(Duration every) {
            return new Spec(name, every, stalledAfter, longestRetry);
        }

        /** The loop is stalled (and the instance not ready) after {@code bound} without a completed pass. */
        public Spec stalledAfter(Duration bound) {
            return new Spec(name, interval, Optional.of(bound), longestRetry);
        }

        /** After failures in a row the wait doubles from {@code interval} up to {@code longest}. */
        public Spec retryingUpTo(Duration longest) {
            return new Spec(name, interval, stalledAfter, Optional.of(longest));
        }

        /** Starts the loop; its first pass comes after {@code interval} or at a {@link #wake()}. */
        public BackgroundLoop start(Pass pass) {
            BackgroundLoop loop = new BackgroundLoop(this, pass);
            loop.thread.start();
            return loop;
        }

        /** Starts a loop that runs {@code task} every {@code interval} (after each run ends). */
        public BackgroundLoop start(Runnable task) {
            return start(woken -> {
                task.run();
                return interval;
            });
        }
    }

    private final Spec spec;
    private final Pass pass;
    private final Semaphore wakeups = new Semaphore(0);
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private final long startedNanos = System.nanoTime();
    private volatile boolean running = true;
    private volatile long failingFor;
    private volatile long lastSuccessNanos;
    private volatile Instant lastSuccess;
    private volatile String lastFailure;

    private BackgroundLoop(Spec spec, Pass pass) {
        this.spec = spec;
        this.pass = pass;
        this.thread = Thread.ofPlatform().daemon().name("casare-" + spec.name()).unstarted(this::loop);
    }

    /**
     * A loop called {@code name} (its thread: {@code casare-<name>}): once a second unless
     * {@link Spec#every} says otherwise, never stalled unless {@link Spec#stalledAfter} says so.
     */
    public static Spec named(String name) {
        return new Spec(name, Duration.ofSeconds(1), Optional.empty(), Optional.empty());
    }

    /** Cuts the current wait short (a burst of calls makes one pass). Never blocks; callable from any thread. */
    public void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    private void loop() {
        Duration wait = spec.interval();
        while (running) {
            boolean woken;
            try {
                woken = wakeups.tryAcquire(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
                wakeups.drainPermits();
            } catch (InterruptedException e) {
                // Only close() interrupts; anything else that did is ignored, and the flag is clear again.
                continue;
            }
            try {
                wait = pass.run(woken);
                succeeded();
            } catch (Throwable t) {
                wait = failed(t);
            }
        }
    }

    private void succeeded() {
        lastSuccessNanos = System.nanoTime();
        lastSuccess = Instant.now();
        if (failingFor > 0) {
            log.info("{} works again (after {} failed pass(es))", spec.name(), failingFor);
            failingFor = 0;
        }
    }

    /** Counts and logs {@code t}; the wait before the next pass. */
    private Duration failed(Throwable t) {
        if (!running) {
            return Duration.ZERO; // interrupted by close()
        }
        failures.incrementAndGet();
        lastFailure = t.toString();
        long inRow = ++failingFor;
        Duration retry = retryWait(inRow);
        if (inRow > 1) {
            log.debug("{} failed again: {}", spec.name(), t.toString());
        } else if (t instanceof Error) {
            log.error("{} failed with {} (will run again in {} ms)", spec.name(), t, retry.toMillis(), t);
        } else {
            log.warn("{} failed (will retry in {} ms): {}", spec.name(), retry.toMillis(), t.getMessage(), t);
        }
        return retry;
    }

    private Duration retryWait(long inRow) {
        Duration longest = spec.longestRetry().orElse(spec.interval());
        Duration wait = spec.interval();
        for (long i = 1; i < inRow && wait.compareTo(longest) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(longest) > 0 ? longest : wait;
    }

    /** Passes that threw, since start. */
    public long failures() {
        return failures.get();
    }

    /** How the loop fares now. */
    public LoopStatus status() {
        Instant at = lastSuccess; // read first: written after lastSuccessNanos
        long success = lastSuccessNanos;
        long since = System.nanoTime() - (at == null ? startedNanos : success);
        return new LoopStatus(spec.name(), failures.get(), failingFor, Optional.ofNullable(at), Optional.ofNullable(lastFailure),
                Duration.ofNanos(since), spec.stalledAfter());
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
