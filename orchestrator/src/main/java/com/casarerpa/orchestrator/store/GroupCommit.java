package com.casarerpa.orchestrator.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: what many connections send at about the same time is written in one transaction,
 * and each sender's future completes after that commit, so an answer sent on it always follows
 * the commit. One writer (a virtual thread, started by the first item that finds none and ending
 * when the queue is empty) writes every item queued so far, up to {@code maxGroup}, and completes
 * their futures; no timer: while one group commits, the next one gathers, so the groups grow with
 * the load and a lone item waits for nobody. Items complete in the order they were queued.
 *
 * <p>When a group's transaction fails, each of its items is written again in a transaction of its
 * own, so one bad item fails alone and the others are neither lost nor failed (a
 * {@link DatabaseUnavailableException} fails the group at once: writing alone would not help). A
 * group that fails in any other way (an {@link Error}) fails alone too: the writer logs it and
 * goes on.
 *
 * <p>{@link #close} drains: items already accepted are committed before it returns (the instance
 * closes its pool after it), and later ones are refused as the instance stopping.
 *
 * @param <I> what is written
 * @param <O> what each item's sender learns once its group committed
 */
final class GroupCommit<I, O> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    /** How long {@link #close()} waits for the items accepted before it to commit. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

    /** Writes a group in the transaction it is given; one outcome per item, in order. */
    interface Writer<I, O> {
        List<O> write(Handle h, List<I> group);
    }

    private record Pending<I, O>(I item, CompletableFuture<O> done) {}

    private final Jdbi jdbi;
    private final String what;
    private final int maxGroup;
    private final Writer<I, O> writer;
    private final ConcurrentLinkedQueue<Pending<I, O>> queue = new ConcurrentLinkedQueue<>();
    /** True while a writer thread runs; at most one does. */
    private final AtomicBoolean writing = new AtomicBoolean();
    private volatile boolean held;
    /** Accepted and not answered yet: what {@link #close} waits for. */
    private final Set<CompletableFuture<O>> unanswered = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private final AtomicLong groups = new AtomicLong();
    private volatile long gatherNanos;

    /**
     * @param what     what the items are, plural ("job reports"), for logs, errors and the writer's thread name
     * @param maxGroup at most this many items in one transaction
     */
    GroupCommit(Jdbi jdbi, String what, int maxGroup, Writer<I, O> writer) {
        this.jdbi = jdbi;
        this.what = what;
        this.maxGroup = maxGroup;
        this.writer = writer;
    }

    /**
     * Each group waits {@code gather} after the writer finds it before it is written (unless it
     * is full already or the instance stops): fewer, larger transactions for items that need no
     * quick answer, each answer later by that much.
     */
    GroupCommit<I, O> gathering(Duration gather) {
        this.gatherNanos = gather.toNanos();
        return this;
    }

    /**
     * Queues the item for the next group; the future completes once that group committed (or
     * failed: then with what writing the item alone threw, e.g. {@link DatabaseUnavailableException},
     * and nothing of it changed).
     */
    CompletableFuture<O> submit(I item) {
        Pending<I, O> mine = new Pending<>(item, new CompletableFuture<>());
        // Counted before the closed check: close() sets the flag, then waits for what is counted.
        unanswered.add(mine.done());
        mine.done().whenComplete((o, e) -> unanswered.remove(mine.done()));
        if (closed) {
            mine.done().completeExceptionally(new DatabaseUnavailableException(DatabaseUnavailableException.Reason.OTHER,
                    "this instance is stopping; send it again (to another instance)", null));
            return mine.done();
        }
        queue.add(mine);
        startWriter();
        return mine.done();
    }

    private void startWriter() {
        if (!held && !queue.isEmpty() && writing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("casare-group-writer").start(this::write);
        }
    }

    /**
     * Refuses new items and waits up to {@link #DRAIN_TIMEOUT} until every item accepted before
     * is committed (or failed), so the pool may close after it. Holds are lifted.
     */
    @Override
    public void close() {
        closed = true;
        held = false;
        startWriter();
        CompletableFuture<?>[] waiting = unanswered.toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(waiting).get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // Each caller learns of its own failure; all that matters here is that none is left.
        } catch (TimeoutException e) {
            log.warn("{} {} not committed within {} s of stopping; their robots will send them again",
                    unanswered.size(), what, DRAIN_TIMEOUT.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The writer: groups until the queue is empty, then it ends (the next item starts another). */
    private void write() {
        while (true) {
            try {
                while (!queue.isEmpty()) {
                    if (gatherNanos > 0 && !closed && queue.size() < maxGroup) {
                        java.util.concurrent.locks.LockSupport.parkNanos(gatherNanos);
                    }
                    writeGroup();
                }
            } finally {
                writing.set(false);
            }
            // An item queued after the last look but before the flag fell finds no writer: take it on.
            if (queue.isEmpty() || held || !writing.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /** Groups written so far (a group that failed and was written item by item counts once). */
    long groups() {
        return groups.get();
    }

    /** Items waiting for the next group. */
    int queued() {
        return queue.size();
    }

    /** For tests: no group starts until the returned handle is closed (items queue up meanwhile). */
    AutoCloseable holdWrites() {
        held = true;
        return () -> {
            held = false;
            startWriter();
        };
    }

    private void writeGroup() {
        List<Pending<I, O>> group = new ArrayList<>();
        for (Pending<I, O> p = queue.poll(); p != null; p = group.size() < maxGroup ? queue.poll() : null) {
            group.add(p);
        }
        if (group.isEmpty()) {
            return;
        }
        groups.incrementAndGet();
        try {
            writeGroup(group);
        } catch (Throwable t) {
            // Not a database refusal (those are handled per item): fail this group, keep writing.
            log.error("a group of {} {} failed: {}", group.size(), what, t.toString(), t);
            group.forEach(p -> p.done().completeExceptionally(t));
        }
    }

    private void writeGroup(List<Pending<I, O>> group) {
        try {
            List<O> outcomes = write(group);
            for (int i = 0; i < group.size(); i++) {
                group.get(i).done().complete(outcomes.get(i));
            }
        } catch (RuntimeException e) {
            if (group.size() == 1 || e instanceof DatabaseUnavailableException) {
                group.forEach(p -> p.done().completeExceptionally(e));
                return;
            }
            // One of them failed the whole group: each on its own, so only that one fails.
            for (Pending<I, O> p : group) {
                try {
                    p.done().complete(write(List.of(p)).getFirst());
                } catch (RuntimeException alone) {
                    p.done().completeExceptionally(alone);
                }
            }
        }
    }

    private List<O> write(List<Pending<I, O>> group) {
        List<I> items = group.stream().map(Pending::item).toList();
        return Jdbi3.call(what, () -> jdbi.inTransaction(h -> writer.write(h, items)));
    }
}
