package com.casarerpa.testkit;

import com.casarerpa.protocol.ws.Protocol;
import com.casarerpa.protocol.ws.RobotMessage;
import com.casarerpa.protocol.ws.ServerMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A robot for tests: a real {@code java.net.http.WebSocket} client of {@code /ws/robots} that
 * keeps every message it receives, sends one message at a time (as the JDK requires), numbers
 * its requests {@code r-1, r-2, …}, and, like a real robot, closes with 1000 when told to drain.
 * It sends the protocol's records ({@link RobotMessage}) and reads them back ({@link #next(Class)});
 * a test that checks the wire itself sends and reads raw JSON ({@link #sendRaw}, {@link #next(String)}).
 *
 * <p>Connected with a {@link Handler} ({@link #connectAsync}), it keeps nothing: each message is read
 * once, straight into its record, and handed over on the socket's thread, and {@link #sendAsync}
 * never waits. {@link AutoRobot} runs on such connections.
 */
public final class TestRobot implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    public static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** What a connection without an inbox does with what it receives; called on the socket's thread, one call at a time. */
    public interface Handler {
        /** A message from the server; {@code null} when its {@code type} is not one this version knows. */
        void onMessage(TestRobot robot, ServerMessage message);

        /** The server closed the connection (or answered the client's close). */
        void onClose(TestRobot robot, int statusCode, String reason);

        /** The connection broke. */
        void onError(TestRobot robot, Throwable error);
    }

    private final Handler handler;
    /** What it received and the test has not taken; {@code null} with a handler. */
    private final Inbox received;
    private final AtomicInteger ids = new AtomicInteger();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private CompletableFuture<WebSocket> sending;
    private volatile boolean reading = true;

    private TestRobot(Handler handler) {
        this.handler = handler;
        this.received = handler == null ? new Inbox() : null;
    }

    /** {@code ws://127.0.0.1:port/ws/robots}. */
    public static URI uri(int port) {
        return URI.create("ws://127.0.0.1:" + port + "/ws/robots");
    }

    /** Connects to {@code ws://127.0.0.1:port/ws/robots[query]} with these headers; fails on a refused handshake. */
    public static TestRobot connect(int port, String query, Map<String, String> headers) {
        try {
            return connectAsync(CLIENT, URI.create(uri(port) + query), headers, null).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Connects to {@code uri} with these headers through {@code client}, without waiting. With a
     * {@code handler}, every message goes to it and none is kept; without one, they are kept for
     * {@link #next}.
     */
    public static CompletableFuture<TestRobot> connectAsync(HttpClient client, URI uri, Map<String, String> headers,
            Handler handler) {
        TestRobot robot = new TestRobot(handler);
        WebSocket.Builder b = client.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT);
        headers.forEach(b::header);
        return b.buildAsync(uri, robot.new Listener()).thenApply(ws -> {
            synchronized (robot) {
                robot.socket = ws;
                robot.sending = CompletableFuture.completedFuture(ws);
            }
            return robot;
        });
    }

    public static TestRobot connect(int port, String key) {
        return connect(port, "", Map.of("Authorization", "Bearer " + key));
    }

    /** The HTTP status of a refused handshake, or empty when the upgrade succeeded (the connection is closed again). */
    public static Optional<Integer> refusal(int port, String query, Map<String, String> headers) {
        try (TestRobot robot = connect(port, query, headers)) {
            return Optional.empty();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return Optional.of(h.getResponse().statusCode());
            }
            throw e;
        }
    }

    /** Sends a text message as is. */
    public void sendRaw(String text) {
        sendAsync(text).join();
    }

    /**
     * Sends a text message as is after those sent before it, without waiting; the future fails if
     * the send does. A send that failed (a text that is not valid UTF-16, so cannot be UTF-8 on the
     * wire) does not stop the ones after it.
     */
    public synchronized CompletableFuture<WebSocket> sendAsync(String text) {
        sending = afterSent().thenCompose(ws -> ws.sendText(text, true));
        return sending;
    }

    /** Completes with the socket once every send so far has ended, whether it went out or failed. */
    private CompletableFuture<WebSocket> afterSent() {
        return sending.handle((ws, failure) -> socket);
    }

    /** Sends a record of the protocol as it is (its {@code id} included), without waiting. */
    public CompletableFuture<WebSocket> sendAsync(RobotMessage message) {
        return sendAsync(Protocol.text(message));
    }

    /** Sends {@code message} with a new id ({@code r-N}) and returns the id. */
    public String request(ObjectNode message) {
        String id = "r-" + ids.incrementAndGet();
        message.put("id", id);
        sendRaw(message.toString());
        return id;
    }

    /** Sends a record of the protocol with a new id ({@code r-N}) and returns the id. */
    public String send(RobotMessage message) {
        return request(Protocol.tree(message));
    }

    /** Sends {@code message} with a new id and waits for its answer ({@code ack}, {@code error} or {@code registered}). */
    public JsonNode call(ObjectNode message) {
        String id = request(message);
        return awaitMessage(m -> id.equals(m.path("reply_to").asText(null)));
    }

    /** Sends a record of the protocol with a new id and waits for its answer, read as the protocol's record. */
    public ServerMessage exchange(RobotMessage message) {
        return Protocol.server(call(Protocol.tree(message)));
    }

    public static ObjectNode message(String type) {
        return Protocol.mapper().createObjectNode().put("type", type);
    }

    /** {@code register} with a hostname, these extra fields, protocol 1; returns {@code registered} (or the error). */
    public JsonNode register(ObjectNode fields) {
        ObjectNode m = message("register").put("protocol_version", 1).put("hostname", "test-host");
        m.setAll(fields);
        return call(m);
    }

    /** A job report: {@code type} with job_id and lease_token of an assignment. */
    public static ObjectNode report(String type, JsonNode assignment) {
        return message(type).put("job_id", assignment.get("job_id").asText()).put("lease_token", assignment.get("lease_token").asText());
    }

    /** The next server message of this record type not yet taken, waiting up to {@link #WAIT}. */
    public <T extends ServerMessage> T next(Class<T> type) {
        return type.cast(Protocol.server(next(Protocol.type(type))));
    }

    /** The next message of this type not yet taken by {@link #next}, waiting up to {@link #WAIT}. */
    public JsonNode next(String type) {
        return next(type, WAIT);
    }

    public JsonNode next(String type, Duration within) {
        return inbox().next(type, within);
    }

    /** Waits for (and takes) a received message that matches. */
    public JsonNode awaitMessage(Predicate<JsonNode> matches) {
        return inbox().take(matches, WAIT);
    }

    /** Every received message of a type not taken yet (without taking them). */
    public List<JsonNode> pending(String type) {
        return inbox().pending(type);
    }

    private Inbox inbox() {
        if (received == null) {
            throw new IllegalStateException("this TestRobot hands every message to its handler and keeps none");
        }
        return received;
    }

    /** The close code the server sent, waiting for it. */
    public int closeCode() {
        return closeCode(WAIT);
    }

    public int closeCode(Duration within) {
        return closed.copy().orTimeout(within.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Takes the oldest received message not taken yet, waiting up to {@code within}; empty if none came. */
    public Optional<JsonNode> poll(Duration within) {
        return inbox().poll(within);
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /**
     * Stops reading: no more demand on the socket, so what the server sends piles up in the TCP
     * buffers until its writes no longer complete (a robot stuck in a long GC, say).
     */
    public void stopReading() {
        reading = false;
    }

    /** Drops the TCP connection without a close handshake, as a crashed robot or a broken network would. */
    public void abort() {
        socket.abort();
        closed.complete(1006);
    }

    @Override
    public void close() {
        if (!closed.isDone() && !socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                socket.abort();
            }
        }
    }

    /** Closes with 1000 after what was sent before, without waiting; aborts the connection if that takes over 5 s. */
    public synchronized CompletableFuture<?> closeAsync(String reason) {
        return afterSent().thenCompose(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, reason))
                .orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> {
                    socket.abort();
                    return null;
                });
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (handler != null) {
                    handler.onMessage(TestRobot.this, Protocol.server(text));
                } else {
                    keep(ws, text);
                }
            }
            if (reading) {
                ws.request(1);
            }
            return null;
        }

        private void keep(WebSocket ws, String text) {
            JsonNode message;
            try {
                message = Protocol.mapper().readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            received.add(message);
            if ("drain".equals(message.path("type").asText())) {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "drained");
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            if (handler != null) {
                handler.onClose(TestRobot.this, statusCode, reason);
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(1006);
            if (handler != null) {
                handler.onError(TestRobot.this, error);
            }
        }
    }
}
