package com.casarerpa.orchestrator.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber of {@link ChangeEvents}: a bounded queue the publisher offers to (never waiting)
 * and a virtual thread that hands its events to the listener. Closing it stops the thread; events
 * still queued are not delivered.
 */
public final class Subscription implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Subscription.class);
    private static final int MAX_BATCH = 1_000;

    private final String name;
    private final BlockingQueue<ChangeEvent> queue;
    private final Duration linger;
    private final Consumer<List<ChangeEvent>> listener;
    private final Consumer<Subscription> onClose;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final Thread worker;
    private volatile boolean open = true;

    Subscription(String name, int capacity, Duration linger, Consumer<List<ChangeEvent>> listener, Consumer<Subscription> onClose) {
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.linger = linger;
        this.listener = listener;
        this.onClose = onClose;
        this.worker = Thread.ofVirtual().name("casare-events-" + name).start(this::run);
    }

    void offer(ChangeEvent event) {
        if (!open || queue.offer(event)) {
            return;
        }
        long n = dropped.incrementAndGet();
        if (n == 1 || n % 10_000 == 0) {
            log.warn("change events: subscriber {} is behind, {} events dropped so far (its queue holds {})", name, n,
                    queue.size());
        }
    }

    private void run() {
        while (open) {
            List<ChangeEvent> batch = new ArrayList<>();
            try {
                batch.add(queue.take());
                if (!linger.isZero()) {
                    TimeUnit.NANOSECONDS.sleep(linger.toNanos());
                }
            } catch (InterruptedException e) {
                // closed
                Thread.currentThread().interrupt();
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            try {
                listener.accept(batch);
            } catch (Throwable t) {
                log.error("change events: subscriber {} failed on {} events: {}", name, batch.size(), t.toString(), t);
            }
            delivered.addAndGet(batch.size());
        }
    }

    /** Hands one event to a listener of single events; what it throws is logged, the next event is handed over all the same. */
    static void handle(String name, Consumer<ChangeEvent> listener, ChangeEvent event) {
        try {
            listener.accept(event);
        } catch (Throwable t) {
            log.error("change events: subscriber {} failed on {}: {}", name, event, t.toString(), t);
        }
    }

    /** Events this subscriber missed because its queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Events handed to the listener so far (whether or not it handled them without failing). */
    public long delivered() {
        return delivered.get();
    }

    @Override
    public void close() {
        open = false;
        onClose.accept(this);
        worker.interrupt();
    }
}
