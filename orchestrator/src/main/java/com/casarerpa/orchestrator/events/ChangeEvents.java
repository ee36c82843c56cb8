package com.casarerpa.orchestrator.events;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

    private final Supplier<String> instance;
    private final Clock clock;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

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
        Subscription s = new Subscription(name, capacity, linger, listener, subscriptions::remove);
        subscriptions.add(s);
        return s;
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

    private void deliver(ChangeEvent event) {
        for (Subscription s : subscriptions) {
            s.offer(event);
        }
    }

    /** Events dropped so far because a subscriber's queue was full, over every subscriber. */
    public long dropped() {
        return subscriptions.stream().mapToLong(Subscription::dropped).sum();
    }

    /** Ends every subscription. */
    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
    }
}
