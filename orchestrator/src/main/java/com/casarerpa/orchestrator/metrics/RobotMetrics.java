package com.casarerpa.orchestrator.metrics;

import com.casarerpa.protocol.ws.Protocol;
import com.casarerpa.protocol.ws.RobotMessage;
import com.casarerpa.protocol.ws.ServerMessage;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * The robots' side of the per-instance series: dispatch latency, stale reports, lease expiries,
 * WebSocket connections and messages. Every series exists from the start (at 0); the meters are
 * made here once, so a call records without a registry lookup or an allocation.
 */
public final class RobotMetrics {
    /** How a robot gets its jobs and sends its reports. */
    public enum Transport {
        WEBSOCKET, REST;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A WebSocket message's way: {@code IN} from a robot, {@code OUT} to it. */
    public enum Direction {
        IN, OUT;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The {@code type} of a robot message that could not be read, or of a type this protocol version does not know. */
    public static final String INVALID = "invalid";

    private final Map<Transport, Timer> dispatch = new EnumMap<>(Transport.class);
    private final Map<Transport, Counter> stale = new EnumMap<>(Transport.class);
    private final Counter leaseExpiries;
    private final Map<Direction, Map<String, Counter>> messages = new EnumMap<>(Direction.class);
    private volatile IntSupplier connections = () -> 0;

    RobotMetrics(MeterRegistry registry) {
        for (Transport t : Transport.values()) {
            dispatch.put(t, Histograms.timer("casare.dispatch.latency",
                    "From the moment a job could be dispatched (its run_after) to a robot being handed it",
                    Histograms.DISPATCH).tag("transport", t.label()).register(registry));
            stale.put(t, Counter.builder("casare.stale.reports").description("Robot reports refused because their lease was no longer live")
                    .tag("transport", t.label()).register(registry));
        }
        leaseExpiries = Counter.builder("casare.lease.expiries")
                .description("Expired leases ended by this instance's lease sweep").register(registry);
        Gauge.builder("casare.websocket.connections", () -> connections.getAsInt())
                .description("Robot WebSocket connections open on this instance").register(registry);
        messages.put(Direction.IN, counters(registry, Direction.IN, Stream.concat(types(RobotMessage.class), Stream.of(INVALID))));
        messages.put(Direction.OUT, counters(registry, Direction.OUT, types(ServerMessage.class)));
    }

    private static Map<String, Counter> counters(MeterRegistry registry, Direction d, Stream<String> types) {
        Map<String, Counter> out = new HashMap<>();
        types.forEach(type -> out.put(type, Counter.builder("casare.websocket.messages").description("Robot WebSocket messages")
                .tag("direction", d.label()).tag("type", type).register(registry)));
        return Map.copyOf(out);
    }

    /** Records nothing: for parts built without metrics (commands, tests). */
    public static RobotMetrics none() {
        return new RobotMetrics(new CompositeMeterRegistry());
    }

    /** The {@code type}s of the protocol's messages of one way, from their records. */
    private static Stream<String> types(Class<?> messages) {
        return Stream.of(messages.getAnnotation(JsonSubTypes.class).value()).map(t -> Protocol.type(t.value())).distinct();
    }

    /**
     * A robot was handed a job ({@code job_assign} given to its connection, or the REST claim
     * answered) {@code latencyNanos} after the job could be dispatched (docs/monitoring.md says
     * how the two clocks are combined).
     */
    public void dispatched(Transport transport, long latencyNanos) {
        dispatch.get(transport).record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    /** A robot's report was refused: its lease was no longer live. */
    public void staleReport(Transport transport) {
        stale.get(transport).increment();
    }

    /** This instance's lease sweep ended {@code n} expired leases. */
    public void leaseExpired(int n) {
        leaseExpiries.increment(n);
    }

    /**
     * A WebSocket message of {@code type}. A robot's message that is not one of the protocol's
     * (unreadable, without a {@code type}, or of an unknown type: {@code type} null or anything
     * else) counts as {@value #INVALID}, so the label stays bounded.
     *
     * @throws IllegalArgumentException for an outgoing type the protocol does not have
     */
    public void websocketMessage(Direction direction, String type) {
        Map<String, Counter> byType = messages.get(direction);
        Counter c = type == null ? null : byType.get(type);
        if (c == null && direction == Direction.OUT) {
            throw new IllegalArgumentException("not a server message type: " + type);
        }
        (c != null ? c : byType.get(INVALID)).increment();
    }

    /** Where the number of open robot connections is read at each scrape (0 until this is called). */
    public void connections(IntSupplier open) {
        connections = open;
    }
}
