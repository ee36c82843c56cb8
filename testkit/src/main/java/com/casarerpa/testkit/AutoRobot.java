package com.casarerpa.testkit;

import com.casarerpa.protocol.ws.Parts;
import com.casarerpa.protocol.ws.Protocol;
import com.casarerpa.protocol.ws.RobotMessage;
import com.casarerpa.protocol.ws.ServerMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A robot that runs by itself as docs/websocket-api.md describes one, on {@link TestRobot}
 * connections with a handler: it registers (listing the jobs it holds), heartbeats listing them,
 * answers each {@code job_assign} with {@code job_started}, runs the job for the time its
 * {@link RobotSetup} draws (none: {@code job_completed} follows at once, in the same callback),
 * and holds the job until its {@code job_completed} is acked, sending it again a second after a
 * retryable error. With {@link RobotSetup#reconnect()}, a connection that closes or breaks is
 * opened again, to its own server first and then, while refused, the next; the jobs it holds are
 * resumed and finished ones reported again. It waits before each attempt as docs/websocket-api.md
 * ("Reconnecting") asks of a robot: exponential backoff with full jitter, after the server's hint
 * ({@code Retry-After} of a refused handshake, {@code retry_after_ms} of a refused register) when
 * it gave one; with a shorter base and cap than a real robot's, so tests stay quick. It tells its
 * {@link RobotEvents} what happens.
 *
 * <p>It has no thread of its own: messages are handled on the connection's thread as they arrive
 * (read once, straight into the protocol's records), timers run on a shared one ({@link Robots}).
 */
public final class AutoRobot {
    private static final Parts.RunResult RESULT = new Parts.RunResult(null, 1L, 0L, null, null);
    private static final String REGISTER_ID = "reg";
    private static final long BACKOFF_BASE_MS = 100;
    private static final long BACKOFF_CAP_MS = 2_000;
    private static final long RESEND_DELAY_MS = 1000;

    /** A job it holds: from {@code job_assign} until its report is answered or its lease lost. */
    private static final class Held {
        final String jobId;
        final String token;
        final int attempt;
        final long startNanos;
        boolean finished;
        ScheduledFuture<?> run;

        Held(String jobId, String token, int attempt, long startNanos) {
            this.jobId = jobId;
            this.token = token;
            this.attempt = attempt;
            this.startNanos = startNanos;
        }
    }

    private final RobotSetup setup;
    private final RobotEvents events;
    private final HttpClient client;
    private final ScheduledExecutorService timer;
    private final String label;
    private final Handler handler = new Handler();
    private final CompletableFuture<AutoRobot> ready = new CompletableFuture<>();
    // Guarded by this.
    private final Map<String, Held> held = new HashMap<>();
    private final Map<String, Held> finalRequests = new HashMap<>();
    private long ids;
    private int server;
    private int connections;
    /** A {@code drain} came on the current connection: its close is a reconnect, not a failure. */
    private boolean draining;
    /** Attempts in a row that ended before registering: the backoff grows with them. */
    private int failures;
    /** The server's {@code retry_after_ms} when it refused the last register. */
    private long registerHintMs;
    private TestRobot connection;
    private boolean registered;
    private ScheduledFuture<?> heartbeats;
    /** The id of the heartbeat sent last and when (System.nanoTime()), until its ack. */
    private String heartbeatId;
    private long heartbeatSent;
    private volatile boolean stopped;

    private AutoRobot(RobotSetup setup, RobotEvents events, HttpClient client, ScheduledExecutorService timer) {
        this.setup = setup;
        this.events = events;
        this.client = client;
        this.timer = timer;
        this.label = setup.robotId() != null ? setup.robotId() : setup.name();
    }

    /** Starts connecting; {@link #ready()} tells when it first registered. */
    static AutoRobot start(RobotSetup setup, RobotEvents events, HttpClient client, ScheduledExecutorService timer) {
        AutoRobot robot = new AutoRobot(setup, events, client, timer);
        robot.connect();
        return robot;
    }

    /** Completes when it registered the first time; fails when it could not (and will not try again). */
    public CompletableFuture<AutoRobot> ready() {
        return ready;
    }

    /** The port of the server it is registered on now, or 0 while it is not. */
    public synchronized int connectedPort() {
        return registered ? serverUri().getPort() : 0;
    }

    /** How many jobs it holds now. */
    public synchronized int holding() {
        return held.size();
    }

    /** Stops everything it does and closes its connection with 1000; completes when closed. */
    public CompletableFuture<?> stop() {
        TestRobot open;
        synchronized (this) {
            stopped = true;
            if (heartbeats != null) {
                heartbeats.cancel(false);
            }
            held.values().stream().filter(h -> h.run != null).forEach(h -> h.run.cancel(false));
            open = connection;
        }
        return open == null ? CompletableFuture.completedFuture(null) : open.closeAsync("stopped");
    }

    private URI serverUri() {
        List<URI> servers = setup.servers();
        return servers.get(server % servers.size());
    }

    private void connect() {
        URI uri;
        synchronized (this) {
            if (stopped) {
                return;
            }
            uri = serverUri();
        }
        TestRobot.connectAsync(client, uri, Map.of("Authorization", "Bearer " + setup.key()), handler)
                .whenComplete((open, e) -> {
                    if (e == null) {
                        opened(open);
                    } else {
                        refused(e);
                    }
                });
    }

    private synchronized void refused(Throwable e) {
        if (stopped) {
            return;
        }
        WebSocketHandshakeException refusal = handshakeRefusal(e);
        events.connectRefused(label, refusal == null ? 0 : refusal.getResponse().statusCode());
        if (setup.reconnect()) {
            server++;
            // The hint is that server's: with others to try, the robot goes on to the next one without it.
            long hintMs = refusal == null || setup.servers().size() > 1 ? 0 : refusal.getResponse().headers()
                    .firstValue("Retry-After").map(AutoRobot::seconds).orElse(0L) * 1000;
            timer.schedule(this::connect, backoffMs(hintMs), TimeUnit.MILLISECONDS);
        } else {
            ready.completeExceptionally(e);
        }
    }

    /** The server's refusal of the handshake, or null when no server answered. */
    private static WebSocketHandshakeException handshakeRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof WebSocketHandshakeException h) {
                return h;
            }
        }
        return null;
    }

    private static long seconds(String header) {
        try {
            return Math.max(0, Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The wait before the next attempt, counting one more failure: the server's hint plus a draw
     * from 0 to {@code min(cap, base × 2^failures)} (full jitter), so that robots turned away
     * together come back spread out.
     */
    private long backoffMs(long hintMs) {
        long ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS << Math.min(failures, 16));
        failures++;
        return hintMs + ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    private synchronized void opened(TestRobot open) {
        if (stopped) {
            open.closeAsync("stopped");
            return;
        }
        connection = open;
        if (open.isClosed()) {
            ended(open, "connection of " + label + " closed at once");
            return;
        }
        List<Parts.HeldJob> jobs = held.isEmpty() ? null : held.values().stream()
                .map(h -> new Parts.HeldJob(h.jobId, h.token, h.finished ? "finished" : "running")).toList();
        send(new RobotMessage.Register(REGISTER_ID, Protocol.VERSION, null, setup.robotId(), setup.name(), setup.hostname(),
                null, null, null, null, setup.slots(), setup.agentVersion(), null, jobs));
    }

    /** The connection {@code open} closed or broke: forget it, and open another if the setup says so. */
    /**
     * The instance is stopping: as the protocol asks, the robot closes and connects again at once,
     * not counting a failure; with several servers it goes to the next one, as a load balancer
     * would send it away from the draining instance.
     */
    private synchronized void drained(TestRobot open) {
        if (open == connection) {
            draining = true;
        }
        open.closeAsync("drained");
    }

    private synchronized void ended(TestRobot open, String what) {
        if (open != connection) {
            return;
        }
        connection = null;
        registered = false;
        if (stopped) {
            return;
        }
        boolean afterDrain = draining;
        draining = false;
        if (!afterDrain) {
            events.error(what);
        }
        if (setup.reconnect() && afterDrain) {
            server++;
            timer.execute(this::connect);
        } else if (setup.reconnect()) {
            long hintMs = registerHintMs;
            registerHintMs = 0;
            timer.schedule(this::connect, backoffMs(hintMs), TimeUnit.MILLISECONDS);
        } else {
            ready.completeExceptionally(new IllegalStateException(what));
        }
    }

    private void send(RobotMessage message) {
        connection.sendAsync(message).exceptionally(e -> {
            if (!stopped) {
                events.error("send failed: " + e);
            }
            return null;
        });
    }

    private void onRegistered(ServerMessage.Registered r) {
        registered = true;
        failures = 0;
        events.registered(label, ++connections, r);
        long now = System.nanoTime();
        if (r.lost() != null) {
            r.lost().forEach(lost -> end(lost, now));
        }
        finalRequests.clear();
        if (r.resumed() != null) {
            for (Parts.ResumedLease resumed : r.resumed()) {
                Held h = held.get(resumed.jobId());
                if (h != null && h.finished) {
                    sendCompleted(h);
                }
            }
        }
        if (heartbeats == null) {
            long every = setup.heartbeatEvery() != null ? setup.heartbeatEvery().toMillis()
                    : 1000L * Math.max(1, r.heartbeatIntervalSeconds() == null ? 5 : r.heartbeatIntervalSeconds());
            heartbeats = timer.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
        }
        ready.complete(this);
    }

    private void onAssigned(ServerMessage.JobAssign a, long now) {
        Held h = new Held(a.jobId(), a.leaseToken(), a.attempt() == null ? 0 : a.attempt(), now);
        held.put(h.jobId, h);
        send(new RobotMessage.JobStarted("s-" + ++ids, h.jobId, h.token, null));
        long runNanos = setup.runNanos();
        if (runNanos == 0) {
            finish(h, now);
        } else {
            h.run = timer.schedule(() -> finishLater(h), runNanos, TimeUnit.NANOSECONDS);
        }
    }

    private synchronized void finishLater(Held h) {
        if (!stopped) {
            finish(h, System.nanoTime());
        }
    }

    /** The job ran to its end: report it (now if connected, else when registered again). */
    private void finish(Held h, long now) {
        if (h.finished || held.get(h.jobId) != h) {
            return;
        }
        h.finished = true;
        events.ran(label, h.jobId, h.attempt, h.startNanos, now);
        sendCompleted(h);
    }

    private synchronized void resend(Held h) {
        if (!stopped && held.get(h.jobId) == h) {
            sendCompleted(h);
        }
    }

    private void sendCompleted(Held h) {
        if (!registered) {
            return;
        }
        String id = "c-" + ++ids;
        finalRequests.put(id, h);
        send(new RobotMessage.JobCompleted(id, h.jobId, h.token, RESULT));
    }

    private void onAck(ServerMessage.Ack a, long now) {
        if (a.replyTo() != null && a.replyTo().equals(heartbeatId)) {
            heartbeatId = null;
            events.heartbeatAcked(label, now - heartbeatSent);
        }
        Held h = finalRequests.remove(a.replyTo());
        if (h != null) {
            held.remove(h.jobId, h);
            events.completed(label, h.jobId, h.token, Boolean.TRUE.equals(a.duplicate()));
        }
        if (a.lost() != null) {
            a.lost().forEach(lost -> end(lost, now));
        }
    }

    private void onServerError(TestRobot open, ServerMessage.Error e) {
        events.error(e.code() + ": " + e.message());
        if (REGISTER_ID.equals(e.replyTo())) {
            if (setup.reconnect()) {
                registerHintMs = e.retryAfterMs();
                open.closeAsync("register refused");
            } else {
                ready.completeExceptionally(new IllegalStateException("register refused: " + e.code() + ": " + e.message()));
            }
            return;
        }
        Held h = finalRequests.remove(e.replyTo());
        if (h != null) {
            if (!Boolean.TRUE.equals(e.retryable())) {
                held.remove(h.jobId, h);
            } else if (held.get(h.jobId) == h) {
                timer.schedule(() -> resend(h), RESEND_DELAY_MS, TimeUnit.MILLISECONDS);
            }
            events.refused(label, h.jobId, h.token, e.code());
        }
    }

    /** The server says a lease is gone: stop the job if it still runs, and forget it. */
    private void end(Parts.LostLease lost, long now) {
        Held h = held.remove(lost.jobId());
        if (h == null) {
            return;
        }
        if (h.run != null) {
            h.run.cancel(false);
        }
        if (!h.finished) {
            events.ran(label, h.jobId, h.attempt, h.startNanos, now);
        } else if ("reported".equals(lost.reason())) {
            events.reported(label, h.jobId, h.token);
        }
    }

    private synchronized void heartbeat() {
        if (!registered || stopped) {
            return;
        }
        List<Parts.JobLease> jobs = held.values().stream().map(h -> new Parts.JobLease(h.jobId, h.token)).toList();
        heartbeatId = "h-" + ++ids;
        heartbeatSent = System.nanoTime();
        send(new RobotMessage.Heartbeat(heartbeatId, 1.0, null, null, jobs));
    }

    private final class Handler implements TestRobot.Handler {
        @Override
        public void onMessage(TestRobot open, ServerMessage message) {
            long now = System.nanoTime();
            if (stopped && !(message instanceof ServerMessage.Ack)) {
                return; // stopped, it takes no more work and only hears how its last reports went
            }
            if (message instanceof ServerMessage.JobAssign a) {
                events.assigned(label, a.jobId(), now);
            }
            synchronized (AutoRobot.this) {
                if (open != connection) {
                    return;
                }
                switch (message) {
                    case ServerMessage.JobAssign a -> onAssigned(a, now);
                    case ServerMessage.Ack a -> onAck(a, now);
                    case ServerMessage.Registered r -> onRegistered(r);
                    case ServerMessage.Error e -> onServerError(open, e);
                    case ServerMessage.Drain d -> drained(open);
                    case null, default -> { }
                }
            }
        }

        @Override
        public void onClose(TestRobot open, int statusCode, String reason) {
            ended(open, "connection of " + label + " closed by the server: " + statusCode + " " + reason);
        }

        @Override
        public void onError(TestRobot open, Throwable error) {
            ended(open, "connection of " + label + " failed: " + error);
        }
    }
}
