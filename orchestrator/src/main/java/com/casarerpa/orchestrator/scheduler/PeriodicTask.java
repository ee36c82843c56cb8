package com.casarerpa.orchestrator.scheduler;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one background task every {@code interval} on its own thread, for the life of an
 * instance. A run that throws is logged and counted, and the next run happens as planned: a
 * database outage must not kill the reaper. Runs never overlap.
 */
public final class PeriodicTask implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final Runnable task;
    private final ScheduledExecutorService executor;
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean lastFailed;

    private PeriodicTask(String name, Runnable task) {
        this.name = name;
        this.task = task;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "casare-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts running {@code task} every {@code interval}, the first time after {@code interval}. */
    public static PeriodicTask start(String name, Duration interval, Runnable task) {
        PeriodicTask p = new PeriodicTask(name, task);
        p.executor.scheduleWithFixedDelay(p::runOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return p;
    }

    private void runOnce() {
        try {
            task.run();
            if (lastFailed) {
                log.info("{} works again", name);
                lastFailed = false;
            }
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            if (!lastFailed) {
                log.warn("{} failed (will retry): {}", name, e.getMessage(), e);
            } else {
                log.debug("{} failed again: {}", name, e.getMessage());
            }
            lastFailed = true;
        }
    }

    /** Runs that threw, since start. */
    public long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
