package com.casarerpa.orchestrator.testing;

import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.events.Change;
import com.casarerpa.orchestrator.events.ChangeEvent;
import com.casarerpa.orchestrator.events.ChangeEvents;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The events a bus delivered to one subscriber. {@link #untilNow()} proves a negative without
 * sleeping: a subscriber receives events in order, so once a probe published last has arrived,
 * every event published before it has too.
 */
public final class RecordedEvents {
    private static final String PROBE = "probe_";
    private final ChangeEvents bus;
    private final List<ChangeEvent> seen = new CopyOnWriteArrayList<>();

    public RecordedEvents(ChangeEvents bus) {
        this.bus = bus;
        bus.subscribe("recorder", seen::add);
    }

    /** Every event (probes left out) published on this bus before this call. */
    public List<ChangeEvent> untilNow() {
        String probe = PROBE + System.nanoTime();
        bus.publish(Change.job(probe, Optional.empty(), "pending"));
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().anyMatch(e -> e.subject().equals(probe)));
        return seen.stream().filter(e -> !e.subject().startsWith(PROBE)).toList();
    }

    /** The changes of {@link #untilNow()}. */
    public List<Change> changes() {
        return untilNow().stream().map(ChangeEvent::change).toList();
    }
}
