package com.casarerpa.robot.agent;

import com.casarerpa.common.json.Json;
import com.casarerpa.protocol.ws.Protocol;
import com.casarerpa.protocol.ws.RobotMessage;
import com.casarerpa.protocol.ws.ServerMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection to {@code /ws/robots}: reassembles incoming text messages and hands
 * them to the agent in order, sends one message at a time (the JDK client allows no second send
 * before the first completes), numbers requests {@code r-1, r-2, …} and remembers what each
 * awaits an answer for.
 */
final class Session implements WebSocket.Listener {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    /** What an id awaits: a heartbeat, a job's report, or another request about a job. */
    record Awaited(String type, HeldJob job, HeldJob.Report report) {}

    /** Receives the messages of a session, in order, on the client's thread. */
    interface Handler {
        void onMessage(Session session, ServerMessage message);
    }

    final int number;
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final Handler handler;
    private final OutgoingMask mask;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, Awaited> awaiting = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

    volatile long lastReceivedNanos = System.nanoTime();
    volatile String closeReason = "";
    /** Set once {@code registered} arrived: the timings to use and when. */
    volatile Timings timings;
    volatile long registeredNanos;
    /** The server asked this connection to go ({@code drain}): reconnect without counting a failure. */
    volatile boolean drained;
    /** This robot closed the connection on purpose (after its goodbye). */
    volatile boolean closedByUs;
    volatile int unansweredHeartbeats;
    /** The {@code retry_after_ms} of a retryable error the server answered {@code register} with. */
    volatile java.time.Duration registerRetryAfter = java.time.Duration.ZERO;
    long nextHeartbeatNanos;
    int maxMessageBytes = Protocol.MAX_MESSAGE_BYTES;

    /** The timings of {@code registered}. */
    record Timings(int heartbeatIntervalSeconds, int heartbeatTimeoutSeconds, int cancelGraceSeconds) {}

    Session(int number, Handler handler, OutgoingMask mask) {
        this.number = number;
        this.handler = handler;
        this.mask = mask;
    }

    void attach(WebSocket socket) {
        this.socket = socket;
    }

    boolean isRegistered() {
        return timings != null && !closed.isDone();
    }

    /** Sends {@code message} with a new id and remembers what it awaits; returns the id. */
    String request(RobotMessage message, Awaited what) {
        String id = "r-" + ids.incrementAndGet();
        ObjectNode tree = Protocol.tree(message);
        tree.put("id", id);
        if (what != null) {
            awaiting.put(id, what);
        }
        send(tree);
        return id;
    }

    /** Takes what the answer with {@code replyTo} is for, or {@code null}. */
    Awaited answered(String replyTo) {
        return replyTo == null ? null : awaiting.remove(replyTo);
    }

    /**
     * Sends a message as it is (no id: no answer unless it fails), the robot's secrets masked.
     * Messages over the limit are dropped with an error.
     */
    void send(RobotMessage message) {
        send(Protocol.tree(message));
    }

    private synchronized void send(ObjectNode message) {
        String text = mask.apply(message).toString();
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxMessageBytes) {
            log.error("not sending a {} of {} bytes: over the server's limit of {} bytes", message.path("type").asText(), bytes,
                    maxMessageBytes);
            return;
        }
        if (closed.isDone()) {
            return;
        }
        log.trace("→ {}", text);
        sending = sending.thenCompose(x -> socket.sendText(text, true)).whenComplete((x, error) -> {
            if (error != null && !closed.isDone()) {
                log.debug("send failed on connection {}: {}", number, error.toString());
                abort("send failed");
            }
        });
    }

    /** Closes with {@code code} after the messages queued so far are sent. */
    synchronized void close(int code, String reason) {
        if (closedByUs || closed.isDone()) {
            return;
        }
        closedByUs = true;
        sending = sending.thenCompose(x -> socket.sendClose(code, reason)).whenComplete((x, error) -> {
            if (error != null) {
                abort("close failed");
            }
        });
    }

    /** Drops the connection at once (no close handshake). */
    void abort(String why) {
        closeReason = why;
        if (socket != null) {
            socket.abort();
        }
        closed.complete(1006);
    }

    @Override
    public void onOpen(WebSocket ws) {
        this.socket = ws;
        ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            lastReceivedNanos = System.nanoTime();
            log.trace("← {}", text);
            try {
                JsonNode tree = Json.mapper().readTree(text);
                if (tree == null || !tree.isObject()) {
                    log.warn("ignoring a server message that is not a JSON object");
                } else {
                    ServerMessage message = Protocol.server(tree);
                    if (message == null) {
                        log.debug("ignoring a server message of type {}", tree.path("type").asText(null));
                    } else {
                        handler.onMessage(this, message);
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                log.warn("ignoring a server message that is not JSON or not as the protocol has it: {}", e.getMessage());
            } catch (RuntimeException e) {
                log.error("failed to handle a server message: {}", text.length() > 500 ? text.substring(0, 500) : text, e);
            }
        }
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closeReason = reason == null ? "" : reason;
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        log.debug("connection {} failed: {}", number, error.toString());
        closeReason = error.getMessage() == null ? error.toString() : error.getMessage();
        closed.complete(1006);
    }
}
