package com.casarerpa.orchestrator.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries this instance's events to the other instances and theirs to this one's bus. It
 * subscribes to the bus like any reader; the events of each {@link #LINGER} (so those of one
 * transaction together) go out as one payload, split when larger than PostgreSQL's NOTIFY
 * allows, through {@code send} (a {@code NOTIFY}; false when it failed: those events are lost to
 * the other instances). {@link #received} takes what the other instances sent.
 */
public final class EventRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventRelay.class);
    static final Duration LINGER = Duration.ofMillis(50);

    private final ChangeEvents bus;
    private final Predicate<String> send;
    private final Subscription subscription;
    private final AtomicLong notifies = new AtomicLong();
    private final AtomicLong relayed = new AtomicLong();

    /** @param send sends one payload to every instance; false when it could not */
    public EventRelay(ChangeEvents bus, Predicate<String> send) {
        this.bus = bus;
        this.send = send;
        this.subscription = bus.subscribe("relay", ChangeEvents.DEFAULT_CAPACITY, LINGER, this::relay);
    }

    private void relay(List<ChangeEvent> batch) {
        List<ChangeEvent> local = batch.stream().filter(e -> !e.remote()).toList();
        if (local.isEmpty()) {
            return;
        }
        // Log batches in payloads of their own: an instance older than their kind refuses a whole
        // payload with one, and must still get the others.
        for (boolean logs : new boolean[] {false, true}) {
            List<ChangeEvent> part = local.stream().filter(e -> (e.kind() == Change.Kind.LOG) == logs).toList();
            for (String payload : EventPayloads.encode(bus.instance(), part)) {
                if (send.test(payload)) {
                    notifies.incrementAndGet();
                }
            }
        }
        relayed.addAndGet(local.size());
    }

    /** A payload from the database: the events of another instance go on this bus, this instance's own are ignored. */
    public void received(String payload) {
        try {
            EventPayloads.Decoded d = EventPayloads.decode(payload);
            if (!d.instance().equals(bus.instance())) {
                d.events().forEach(bus::publishRemote);
            }
        } catch (RuntimeException e) {
            // Never into the NOTIFY listener, which would reconnect for it.
            log.debug("change events: ignored a payload ({})", e.getMessage());
        }
    }

    /** Payloads sent so far (one NOTIFY each). */
    public long notifies() {
        return notifies.get();
    }

    /** Local events handed to {@code send} so far. */
    public long relayed() {
        return relayed.get();
    }

    /** Events the relay dropped because it was behind. */
    public long dropped() {
        return subscription.dropped();
    }

    @Override
    public void close() {
        subscription.close();
    }
}
