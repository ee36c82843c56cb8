package com.casarerpa.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A robot that runs no-op jobs, speaking the protocol of docs/websocket-api.md over a real
 * {@code java.net.http.WebSocket}: {@code register} with {@code max_concurrent_jobs} slots, a
 * {@code heartbeat} every interval listing the jobs it holds, and for each {@code job_assign}
 * at once {@code job_started} then {@code job_completed}. A job counts as done when the server
 * acks its {@code job_completed} (the ack means it is committed).
 */
final class SimulatedRobot {
    private final String name;
    private final int slots;
    private final FleetCounters counters;
    private final Map<String, String> held = new ConcurrentHashMap<>();
    private final Map<String, String> completionOf = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final CompletableFuture<RobotMessage> registered = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private CompletableFuture<WebSocket> sending;
    private ScheduledFuture<?> heartbeats;
    private volatile boolean closing;

    SimulatedRobot(String name, int slots, FleetCounters counters) {
        this.name = name;
        this.slots = slots;
        this.counters = counters;
    }

    /** Connects and registers; completes when {@code registered} arrived. */
    CompletableFuture<SimulatedRobot> connect(HttpClient client, String baseUrl, String key, ScheduledExecutorService timer) {
        URI uri = URI.create(baseUrl.replaceFirst("^http", "ws") + "/ws/robots");
        return client.newWebSocketBuilder().header("Authorization", "Bearer " + key).connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener())
                .thenCompose(ws -> {
                    socket = ws;
                    sending = CompletableFuture.completedFuture(ws);
                    send("{\"type\":\"register\",\"id\":\"reg\",\"protocol_version\":1,\"name\":\"" + name
                            + "\",\"hostname\":\"bench\",\"max_concurrent_jobs\":" + slots + ",\"agent_version\":\"casare-bench\"}");
                    return registered;
                })
                .thenApply(r -> {
                    int every = Math.max(1, r.heartbeatIntervalSeconds());
                    heartbeats = timer.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.SECONDS);
                    return this;
                });
    }

    private synchronized void send(String text) {
        sending = sending.thenCompose(ws -> ws.sendText(text, true));
        sending.exceptionally(e -> {
            if (!closing) {
                counters.sendFailed(e);
            }
            return null;
        });
    }

    private void heartbeat() {
        StringBuilder b = new StringBuilder("{\"type\":\"heartbeat\",\"id\":\"h-").append(ids.incrementAndGet())
                .append("\",\"cpu_percent\":1.0,\"jobs\":[");
        boolean first = true;
        for (Map.Entry<String, String> e : held.entrySet()) {
            b.append(first ? "" : ",").append("{\"job_id\":\"").append(e.getKey()).append("\",\"lease_token\":\"")
                    .append(e.getValue()).append("\"}");
            first = false;
        }
        send(b.append("]}").toString());
    }

    private void onMessage(RobotMessage m) {
        switch (m.type()) {
            case "job_assign" -> {
                counters.onAssigned(m.jobId(), System.nanoTime());
                held.put(m.jobId(), m.leaseToken());
                String report = "\",\"job_id\":\"" + m.jobId() + "\",\"lease_token\":\"" + m.leaseToken() + "\"";
                String completion = "c-" + ids.incrementAndGet();
                completionOf.put(completion, m.jobId());
                send("{\"type\":\"job_started\",\"id\":\"s-" + ids.incrementAndGet() + report + "}");
                send("{\"type\":\"job_completed\",\"id\":\"" + completion + report
                        + ",\"result\":{\"executed_nodes\":1,\"duration_ms\":0}}");
            }
            case "ack" -> {
                String job = m.replyTo() == null ? null : completionOf.remove(m.replyTo());
                if (job != null) {
                    held.remove(job);
                    counters.onCompleted();
                }
            }
            case "registered" -> registered.complete(m);
            case "error" -> {
                counters.onError(m.code() + ": " + m.message());
                if ("reg".equals(m.replyTo())) {
                    registered.completeExceptionally(new IllegalStateException("register refused: " + m.code() + ": " + m.message()));
                }
            }
            default -> { }
        }
    }

    /** Stops heartbeating and closes with 1000. */
    CompletableFuture<?> close() {
        closing = true;
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        if (socket == null) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (this) {
            return sending.thenCompose(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "benchmark over"))
                    .orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> {
                        socket.abort();
                        return null;
                    });
        }
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                onMessage(RobotMessage.parse(text));
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            if (!closing) {
                counters.onError("connection of " + name + " closed by the server: " + statusCode + " " + reason);
            }
            registered.completeExceptionally(new IllegalStateException("closed: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            if (!closing) {
                counters.onError("connection of " + name + " failed: " + error);
            }
            registered.completeExceptionally(error);
        }
    }
}
