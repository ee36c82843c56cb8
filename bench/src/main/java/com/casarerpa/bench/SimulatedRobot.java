package com.casarerpa.bench;

import com.casarerpa.protocol.ws.Parts;
import com.casarerpa.protocol.ws.Protocol;
import com.casarerpa.protocol.ws.RobotMessage;
import com.casarerpa.protocol.ws.ServerMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
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
    private final CompletableFuture<ServerMessage.Registered> registered = new CompletableFuture<>();
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
                    send(new RobotMessage.Register("reg", Protocol.VERSION, null, null, name, "bench", null, null, null, null, slots,
                            "casare-bench", null, null));
                    return registered;
                })
                .thenApply(r -> {
                    int every = Math.max(1, r.heartbeatIntervalSeconds() == null ? 5 : r.heartbeatIntervalSeconds());
                    heartbeats = timer.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.SECONDS);
                    return this;
                });
    }

    private synchronized void send(RobotMessage message) {
        String text = Protocol.text(message);
        sending = sending.thenCompose(ws -> ws.sendText(text, true));
        sending.exceptionally(e -> {
            if (!closing) {
                counters.sendFailed(e);
            }
            return null;
        });
    }

    private void heartbeat() {
        List<Parts.JobLease> jobs = held.entrySet().stream().map(e -> new Parts.JobLease(e.getKey(), e.getValue())).toList();
        send(new RobotMessage.Heartbeat("h-" + ids.incrementAndGet(), 1.0, null, null, jobs));
    }

    private void onMessage(ServerMessage m) {
        switch (m) {
            case ServerMessage.JobAssign a -> {
                counters.onAssigned(a.jobId(), System.nanoTime());
                held.put(a.jobId(), a.leaseToken());
                String completion = "c-" + ids.incrementAndGet();
                completionOf.put(completion, a.jobId());
                send(new RobotMessage.JobStarted("s-" + ids.incrementAndGet(), a.jobId(), a.leaseToken(), null));
                send(new RobotMessage.JobCompleted(completion, a.jobId(), a.leaseToken(), new Parts.RunResult(null, 1L, 0L, null, null)));
            }
            case ServerMessage.Ack a -> {
                String job = a.replyTo() == null ? null : completionOf.remove(a.replyTo());
                if (job != null) {
                    held.remove(job);
                    counters.onCompleted();
                }
            }
            case ServerMessage.Registered r -> registered.complete(r);
            case ServerMessage.Error e -> {
                counters.onError(e.code() + ": " + e.message());
                if ("reg".equals(e.replyTo())) {
                    registered.completeExceptionally(new IllegalStateException("register refused: " + e.code() + ": " + e.message()));
                }
            }
            case null, default -> { }
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
                onMessage(Protocol.server(text));
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
