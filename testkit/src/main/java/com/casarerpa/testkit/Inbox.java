package com.casarerpa.testkit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The messages one end of a test connection received and the test has not taken yet, in order:
 * the test robot's ({@link TestRobot}) and a scripted server's. Thread-safe.
 */
public final class Inbox {
    private final List<JsonNode> received = new ArrayList<>();

    public void add(JsonNode message) {
        synchronized (received) {
            received.add(message);
            received.notifyAll();
        }
    }

    /** Waits up to {@code within} for a message that matches, and takes it. */
    public JsonNode take(Predicate<JsonNode> matches, Duration within) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(within).until(() -> {
            synchronized (received) {
                for (int i = 0; i < received.size(); i++) {
                    if (matches.test(received.get(i))) {
                        found[0] = received.remove(i);
                        return true;
                    }
                }
                return false;
            }
        });
        return found[0];
    }

    /** Waits up to {@code within} for a message of this {@code type}, and takes it. */
    public JsonNode next(String type, Duration within) {
        return take(m -> type.equals(m.path("type").asText()), within);
    }

    /** Every message not taken yet, in order (without taking them). */
    public List<JsonNode> all() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Every message of this type not taken yet (without taking them). */
    public List<JsonNode> pending(String type) {
        return all().stream().filter(m -> type.equals(m.path("type").asText())).toList();
    }

    /** Forgets every message not taken yet. */
    public void clear() {
        synchronized (received) {
            received.clear();
        }
    }

    /** Takes the oldest message not taken yet, waiting up to {@code within}; empty if none came. */
    public Optional<JsonNode> poll(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        synchronized (received) {
            while (received.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(received, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
            return Optional.of(received.remove(0));
        }
    }
}
