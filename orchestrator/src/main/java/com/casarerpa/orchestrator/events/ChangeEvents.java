package com.casarerpa.orchestrator.events;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * The in-process stream of committed changes (jobs, robots, schedule fires) of one instance, with
 * those of the other instances relayed in by {@link EventRelay}.
 *
 * <p>Publishing never waits for a subscriber: each subscriber has a bounded queue and a virtual
 * thread of its own; {@link #publish} stamps the change and offers it to each queue, and a full
 * queue drops it (counted in {@link Subscription#dropped()}). Delivery is therefore at most once
 * per instance, after commit; a reader that must not miss a change re-reads the table.
 */
public final class ChangeEvents implements AutoCloseable {
    /** Queue length of a subscriber unless it asks for another. */
    public static final int DEFAULT_CAPACITY = 10_000;
    /** How many of the latest events the bus keeps for {@link #subscribeAfter} (a live feed's resume). */
    public static final int RECENT = 10_000;

    private final Supplier<String> instance;
    private final Clock clock;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private long seq;
    /** What subscriptions ended since had dropped: {@link #dropped()} never goes down. */
    private final AtomicLong droppedByEnded = new AtomicLong();
    /** The latest {@link #RECENT} events, event {@code n} at {@code (n - 1) % RECENT}. */
    private final ChangeEvent[] recent = new ChangeEvent[RECENT];

    /**
     * @param instance this instance's id, read at each publish (the robot channel makes it, after the stores)
     * @param clock    stamps {@link ChangeEvent#at()}
     */
    public ChangeEvents(Supplier<String> instance, Clock clock) {
        this.instance = instance;
        this.clock = clock;
    }

    /** A bus nobody listens to, for stores built outside the server (commands, tests). */
    public static ChangeEvents none() {
        return new ChangeEvents(() -> "none", Clock.systemUTC());
    }

    public String instance() {
        return instance.get();
    }

    /** {@code listener} receives each event, one at a time, on a thread of its own; what it throws is logged. */
    public Subscription subscribe(String name, Consumer<ChangeEvent> listener) {
        return subscribe(name, DEFAULT_CAPACITY, Duration.ZERO, batch -> batch.forEach(e -> Subscription.handle(name, listener, e)));
    }

    /**
     * {@code listener} receives events in batches, on a thread of its own: after the first event
     * of a batch arrives it waits {@code linger} for more (zero: takes only what is queued).
     * Events beyond {@code capacity} queued and not yet taken are dropped.
     */
    public Subscription subscribe(String name, int capacity, Duration linger, Consumer<List<ChangeEvent>> listener) {
        Subscription s = new Subscription(name, capacity, linger, listener, this::ended);
        subscriptions.add(s);
        return s;
    }

    /**
     * A subscription made by {@link #subscribeAfter}, with the events it would have missed, and
     * the number of the latest event delivered before it: it gets those numbered after {@code last}.
     */
    public record Resumed(Subscription subscription, Optional<List<ChangeEvent>> missed, long last) {}

    /**
     * As {@link #subscribe(String, int, Duration, Consumer)}, and atomically with it the events
     * numbered after {@code after} that were delivered already ({@link ChangeEvent#seq()}): empty
     * when this bus no longer holds them all (more than {@link #RECENT} ago) or never numbered
     * {@code after}. The subscription gets every event after those.
     */
    public synchronized Resumed subscribeAfter(String name, int capacity, Duration linger, Consumer<List<ChangeEvent>> listener,
            long after) {
        Optional<List<ChangeEvent>> missed = Optional.empty();
        if (after >= 0 && after <= seq && seq - after <= RECENT) {
            List<ChangeEvent> out = new ArrayList<>((int) (seq - after));
            for (long n = after + 1; n <= seq; n++) {
                out.add(recent[(int) ((n - 1) % RECENT)]);
            }
            missed = Optional.of(out);
        }
        return new Resumed(subscribe(name, capacity, linger, listener), missed, seq);
    }

    /** Publishes a change committed just now (or made outside any transaction) to this instance's subscribers. */
    public void publish(Change change) {
        deliver(new ChangeEvent(change, clock.instant(), instance.get(), false));
    }

    /**
     * Publishes {@code change} when the transaction of {@code h} commits, never when it rolls
     * back; on a handle outside a transaction (each statement commits itself) at once.
     */
    public void afterCommit(Handle h, Change change) {
        if (h.isInTransaction()) {
            h.afterCommit(() -> publish(change));
        } else {
            publish(change);
        }
    }

    /** As {@link #afterCommit(Handle, Change)} for several changes, in their order. */
    public void afterCommit(Handle h, Collection<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<Change> copy = List.copyOf(changes);
        if (h.isInTransaction()) {
            h.afterCommit(() -> copy.forEach(this::publish));
        } else {
            copy.forEach(this::publish);
        }
    }

    /** Delivers an event another instance published (marked {@link ChangeEvent#remote()}). */
    void publishRemote(ChangeEvent event) {
        deliver(new ChangeEvent(event.change(), event.at(), event.instance(), true));
    }

    /**
     * Numbers the event and offers it to every queue. One at a time, so every subscriber's queue
     * holds events in the order of their numbers (offers never wait, so the lock is held briefly).
     */
    private synchronized void deliver(ChangeEvent event) {
        ChangeEvent numbered = new ChangeEvent(event.change(), event.at(), event.instance(), event.remote(), ++seq);
        recent[(int) ((seq - 1) % RECENT)] = numbered;
        for (Subscription s : subscriptions) {
            s.offer(numbered);
        }
    }

    /** The number of the latest event delivered (0 before the first). */
    public synchronized long lastSeq() {
        return seq;
    }

    private void ended(Subscription s) {
        if (subscriptions.remove(s)) {
            droppedByEnded.addAndGet(s.dropped());
        }
    }

    /** Events dropped so far because a subscriber's queue was full, over every subscriber, ended ones too. */
    public long dropped() {
        return droppedByEnded.get() + subscriptions.stream().mapToLong(Subscription::dropped).sum();
    }

    /** Ends every subscription. */
    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
    }
}
