package com.casarerpa.robot.testing;

import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.testkit.Inbox;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.websocket.WsContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A stand-in for the orchestrator's robot endpoint that the test drives message by message, for
 * what the real server does rarely or never on cue (a duplicate {@code job_assign}, a lost lease
 * in a heartbeat ack, a close with 4009). A real Jetty WebSocket server on a free port.
 */
public final class ScriptedServer implements AutoCloseable {
    private final Javalin app;
    private final List<Peer> peers = new CopyOnWriteArrayList<>();
    private final Map<String, Peer> bySession = new ConcurrentHashMap<>();
    private final AtomicInteger refuseNext = new AtomicInteger();
    private volatile int refusalStatus;
    private volatile boolean answering;

    /** One robot connection as the server sees it. */
    public final class Peer {
        private final WsContext ctx;
        private final Inbox received = new Inbox();
        /** Requests (messages with an {@code id}) not answered yet, by id; guarded by {@code this}. */
        private final Map<String, JsonNode> unanswered = new LinkedHashMap<>();
        private volatile Integer closeCode;

        Peer(WsContext ctx) {
            this.ctx = ctx;
        }

        /** The next message of this type not taken yet. */
        public JsonNode next(String type, Duration within) {
            return received.next(type, within);
        }

        public JsonNode take(Predicate<JsonNode> matches, Duration within) {
            return received.take(matches, within);
        }

        /** Every message received and not taken, in order. */
        public List<JsonNode> all() {
            return received.all();
        }

        /** Forgets every message received so far. */
        public void clear() {
            received.clear();
        }

        public void send(String json) {
            String replyTo = parse(json).path("reply_to").asText(null);
            if (replyTo != null) {
                synchronized (this) {
                    unanswered.remove(replyTo);
                }
            }
            ctx.send(json);
        }

        public void ack(JsonNode request, String extra) {
            send("{\"type\":\"ack\",\"reply_to\":\"" + request.get("id").asText() + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}");
        }

        public void close(int code, String reason) {
            ctx.closeSession(code, reason);
        }

        /** The close code of this connection once it closed, else null. */
        public Integer closeCode() {
            return closeCode;
        }

        void add(String text) {
            JsonNode message = parse(text);
            received.add(message);
            String id = message.path("id").asText(null);
            if (id != null) {
                synchronized (this) {
                    if (answering) {
                        answer(message);
                    } else {
                        unanswered.put(id, message);
                    }
                }
            }
        }

        synchronized void answerPending() {
            List.copyOf(unanswered.values()).forEach(this::answer);
        }

        /** As the orchestrator would: {@code registered} (resuming the jobs it names) for a register, else an ack. */
        private void answer(JsonNode request) {
            if (closeCode != null) {
                return;
            }
            if (request.path("type").asText().equals("register")) {
                StringBuilder resumed = new StringBuilder();
                request.path("jobs").forEach(j -> resumed.append(resumed.isEmpty() ? "" : ",").append("{\"job_id\":")
                        .append(j.get("job_id")).append(",\"lease_token\":").append(j.get("lease_token"))
                        .append(",\"lease_expires_at\":\"2026-11-27T09:05:00.000Z\",\"cancel_requested\":null}"));
                send(registered(request, request.path("robot_id").asText("r1"), 1, "[" + resumed + "]", "[]"));
            } else {
                ack(request, "");
            }
        }
    }

    public ScriptedServer() {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.wsBeforeUpgrade("/ws/robots", ctx -> {
                if (refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    ctx.header("Retry-After", "1");
                    throw new HttpResponseException(refusalStatus, "{\"error\":{\"code\":\"refused\",\"message\":\"scripted refusal\"}}");
                }
            });
            config.routes.ws("/ws/robots", ws -> {
                ws.onConnect(ctx -> {
                    Peer p = new Peer(ctx);
                    bySession.put(ctx.sessionId(), p);
                    peers.add(p);
                });
                ws.onMessage(ctx -> bySession.get(ctx.sessionId()).add(ctx.message()));
                ws.onClose(ctx -> {
                    Peer p = bySession.get(ctx.sessionId());
                    if (p != null) {
                        p.closeCode = ctx.status();
                    }
                });
            });
        }).start("127.0.0.1", 0);
    }

    /**
     * From now on every request of every connection, pending or still to come, is answered as
     * the orchestrator answers a robot that shuts down: its {@code goodbye} and final reports
     * acked, a {@code register} on a new connection registered with its jobs resumed. For the end
     * of a test, so that the robot stops at once instead of waiting out its shutdown timeouts
     * (10 s for unacked final reports, 2 s for the goodbye).
     */
    public void answerEverything() {
        answering = true;
        peers.forEach(Peer::answerPending);
    }

    public String url() {
        return "ws://127.0.0.1:" + app.port();
    }

    /** The next {@code count} handshakes are refused with {@code status} (and {@code Retry-After: 1}). */
    public void refuse(int count, int status) {
        refusalStatus = status;
        refuseNext.set(count);
    }

    /** The {@code n}-th connection (1-based), waiting for it. */
    public Peer connection(int n, Duration within) {
        await().atMost(within).until(() -> peers.size() >= n);
        return peers.get(n - 1);
    }

    public int connections() {
        return peers.size();
    }

    /** The {@code registered} answer to a {@code register}, with short heartbeats. */
    public static String registered(JsonNode register, String robotId, int heartbeatSeconds, String resumed, String lost) {
        return registered(register, robotId, heartbeatSeconds, 30, resumed, lost);
    }

    public static String registered(JsonNode register, String robotId, int heartbeatSeconds, int cancelGraceSeconds,
            String resumed, String lost) {
        return "{\"type\":\"registered\",\"reply_to\":\"" + register.get("id").asText() + "\",\"robot_id\":\"" + robotId
                + "\",\"protocol_version\":1,\"connection_id\":\"c_test\",\"server_version\":\"test\",\"server_time\":"
                + "\"2026-11-27T09:00:00.000Z\",\"heartbeat_interval_seconds\":" + heartbeatSeconds
                + ",\"heartbeat_timeout_seconds\":30,\"visibility_timeout_seconds\":300,\"cancel_grace_seconds\":" + cancelGraceSeconds + ","
                + "\"max_message_bytes\":1048576,\"resumed\":" + resumed + ",\"lost\":" + lost + "}";
    }

    /** A {@code job_assign} of {@code workflowJson}. */
    public static String assign(String jobId, String lease, String workflowJson) {
        return assign(jobId, lease, workflowJson, null);
    }

    /** A {@code job_assign} with {@code timeout_seconds}. */
    public static String assign(String jobId, String lease, String workflowJson, Integer timeoutSeconds) {
        return "{\"type\":\"job_assign\",\"id\":\"s-" + jobId + "\",\"job_id\":\"" + jobId + "\",\"attempt\":1,\"lease_token\":\""
                + lease + "\",\"lease_expires_at\":\"2026-11-27T09:05:00.000Z\",\"workflow_id\":\"wf_1\",\"workflow_name\":\"Scripted\","
                + "\"workflow_version\":1,\"workflow\":" + workflowJson + ",\"variables\":{},\"timeout_seconds\":" + timeoutSeconds + ","
                + "\"priority\":10,\"max_retries\":3,\"created_at\":\"2026-11-27T09:00:00.000Z\"}";
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
