package com.casarerpa.robot.agent;

import com.casarerpa.common.cli.Version;
import com.casarerpa.engine.WorkflowEngine;
import com.casarerpa.protocol.ws.Protocol;
import com.casarerpa.protocol.ws.ServerMessage;
import com.casarerpa.robot.agent.HeldJob.Stop;
import com.casarerpa.robot.config.RobotSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference robot: keeps one connection to the orchestrator (reconnecting with backoff and
 * jitter), registers with its stored identity and the jobs it holds, heartbeats, and runs the
 * jobs pushed to it. {@link #run()} blocks until the robot stops: after {@link #shutdown()}
 * (exit code 0) or a refusal that retrying cannot fix (exit code 1, {@link #failure()}).
 */
public final class RobotAgent {
    private static final Logger log = LoggerFactory.getLogger(RobotAgent.class);
    public static final String AGENT_VERSION = "casare-rpa " + Version.current();
    private static final Duration TICK = Duration.ofMillis(250);
    private static final Duration REGISTER_WAIT = Duration.ofSeconds(15);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    /** What the robot is doing, as {@code robot status} shows it. */
    public enum State {
        STARTING, CONNECTING, CONNECTED, DISCONNECTED, DRAINING, STOPPED;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final RobotSettings settings;
    private final WorkflowEngine engine;
    private final WorkDir workDir;
    private final Connector connector;
    private final JobBook book;
    private final Backoff backoff;
    private final Random random = new Random();
    private final AgentMessages messages;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "robot-timer");
        t.setDaemon(true);
        return t;
    });

    private volatile State state = State.STARTING;
    private volatile Instant since = Instant.now();
    private volatile Session current;
    private volatile String robotId;
    private volatile String connectionId;
    private volatile boolean shuttingDown;
    private volatile boolean goodbyeAcked;
    private volatile String failure;
    private int sessions;
    private long lastStatusNanos;

    public RobotAgent(RobotSettings settings, WorkflowEngine engine, WorkDir workDir) {
        this.settings = settings;
        this.engine = engine;
        this.workDir = workDir;
        this.connector = new Connector(settings.url(), settings.apiKey(), settings.caFile());
        this.book = new JobBook(settings.maxJobs(), Clock.systemUTC(), this::startJob);
        this.messages = new AgentMessages(settings, engine, book);
        this.backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), random);
        this.robotId = settings.robotId().or(workDir::storedRobotId).orElse(null);
    }

    /** Connects and serves until stopped; returns the exit code (0 after {@link #shutdown()}, 1 after a fatal refusal). */
    public int run() {
        timer.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        try {
            while (stopSignal.getCount() > 0) {
                serveOneConnection();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            book.stopAll(Stop.LOST);
            setState(State.STOPPED);
            writeStatus();
            log.info("robot stopped{}", failure == null ? "" : ": " + failure);
            timer.shutdownNow();
            stopped.countDown();
        }
        return failure == null ? 0 : 1;
    }

    /**
     * SIGTERM: says goodbye, lets running jobs finish within the shutdown grace, stops the rest
     * (reported as interrupted), waits for the final reports to be acked, closes with 1000.
     * Returns when the robot has stopped (or gave up waiting).
     */
    public void shutdown() throws InterruptedException {
        if (shuttingDown) {
            stopped.await(STOP_WAIT.toSeconds() * 3 + settings.shutdownGrace().toSeconds(), TimeUnit.SECONDS);
            return;
        }
        shuttingDown = true;
        setState(State.DRAINING);
        book.setDraining();
        Session s = current;
        if (s != null && s.isRegistered()) {
            s.request(AgentMessages.goodbye(), new Session.Awaited("goodbye", null, null));
        }
        int running = book.running();
        if (running > 0) {
            log.info("shutting down: {} running job(s) may finish within {} s", running, settings.shutdownGrace().toSeconds());
        }
        if (!book.await(() -> book.running() == 0, settings.shutdownGrace())) {
            log.warn("shutdown grace of {} s is over: stopping {} job(s)", settings.shutdownGrace().toSeconds(), book.running());
            book.stopAll(Stop.SHUTDOWN);
            book.await(() -> book.running() == 0, STOP_WAIT);
        }
        if (!book.await(book::isEmpty, STOP_WAIT)) {
            log.warn("{} final report(s) not acked by the orchestrator; it re-queues those jobs when their leases end",
                    book.snapshot().size());
        }
        book.await(() -> goodbyeAcked || current == null, Duration.ofSeconds(2));
        stopSignal.countDown();
        s = current;
        if (s != null) {
            s.close(1000, "goodbye");
            try {
                s.closed.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                s.abort("no close answer");
            }
        }
        stopped.await(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Why the robot stopped on its own, when it did. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    public State state() {
        return state;
    }

    public Optional<String> robotId() {
        return Optional.ofNullable(robotId);
    }

    // ---- the connection loop ---------------------------------------------------------------------

    private void serveOneConnection() throws InterruptedException {
        Session s = new Session(++sessions, this::onMessage, new OutgoingMask(settings.secrets()));
        setState(shuttingDown ? State.DRAINING : State.CONNECTING);
        try {
            connector.connect(s);
        } catch (Connector.Refused r) {
            if (r.fatal) {
                fail(r.getMessage());
                return;
            }
            Duration delay = backoff.afterRefusal(r.retryAfter);
            log.warn("{}; retrying in {} ms", r.getMessage(), delay.toMillis());
            setState(shuttingDown ? State.DRAINING : State.DISCONNECTED);
            stopSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        current = s;
        s.request(messages.register(robotId), new Session.Awaited("register", null, null));
        int code = awaitClose(s);
        current = null;
        book.detach(s);
        afterClose(s, code);
    }

    /**
     * Waits until the connection ends: closed by either side, dropped, unanswered {@code register}
     * (15 s), or this robot stopping (it then closes with 1000 itself).
     */
    private int awaitClose(Session s) throws InterruptedException {
        long deadline = System.nanoTime() + REGISTER_WAIT.toNanos();
        while (true) {
            try {
                return s.closed.get(1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                return 1006;
            } catch (java.util.concurrent.TimeoutException e) {
                if (!s.isRegistered() && System.nanoTime() > deadline) {
                    log.warn("no answer to register within {} s; reconnecting", REGISTER_WAIT.toSeconds());
                    s.abort("register unanswered");
                    return 1006;
                }
                if (stopSignal.getCount() == 0 && !s.closedByUs) {
                    s.close(1000, "goodbye");
                }
            }
        }
    }

    private void afterClose(Session s, int code) throws InterruptedException {
        Session.Timings t = s.timings;
        if (t != null && System.nanoTime() - s.registeredNanos >= Duration.ofSeconds(t.heartbeatTimeoutSeconds()).toNanos()) {
            backoff.reset();
        }
        if (stopSignal.getCount() == 0) {
            return;
        }
        setState(shuttingDown ? State.DRAINING : State.DISCONNECTED);
        Optional<String> fatal = CloseCodes.fatal(code, s.closeReason, robotId, workDir.dir().resolve(WorkDir.ID));
        if (fatal.isPresent()) {
            fail(fatal.get());
            return;
        }
        if (code == 1001 || s.drained) {
            quickReconnect(s, code == 1001 ? "the orchestrator is going away (1001)" : "drained");
            return;
        }
        String reason = CloseCodes.reason(s.closeReason);
        if (code == 1008) {
            log.error("the orchestrator closed the connection for a policy violation (1008){}", reason);
        }
        Duration delay = backoff.afterClose(code, s.registerRetryAfter);
        log.warn(Backoff.serverSide(code) ? "the orchestrator could not serve this connection now ({}{}); retrying in {} ms"
                : "connection lost ({}{}); reconnecting in {} ms", code, reason, delay.toMillis());
        stopSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void quickReconnect(Session s, String why) throws InterruptedException {
        long delay = s.drained ? 0 : random.nextInt(1001);
        log.info("{}: reconnecting in {} ms", why, delay);
        stopSignal.await(delay, TimeUnit.MILLISECONDS);
    }

    private void fail(String message) {
        log.error("stopping: {}", message);
        failure = message;
        stopSignal.countDown();
    }

    // ---- messages ---------------------------------------------------------------------------------

    private void onMessage(Session s, ServerMessage m) {
        switch (m) {
            case ServerMessage.Registered r -> onRegistered(s, r);
            case ServerMessage.Ack a -> onAnswer(s, a.replyTo(), m);
            case ServerMessage.Error e -> onAnswer(s, e.replyTo(), m);
            case ServerMessage.JobAssign a -> {
                if (s.isRegistered()) {
                    book.onAssign(s, a);
                }
            }
            case ServerMessage.JobCancel c -> book.onCancel(s, c);
            case ServerMessage.Drain d -> {
                s.drained = true;
                long delay = Math.max(0, Math.min(1000, d.reconnectDelayMs() == null ? random.nextInt(1001) : d.reconnectDelayMs()));
                log.info("the orchestrator instance is draining: reconnecting in {} ms", delay);
                timer.schedule(() -> s.close(1000, "drain"), delay, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void onRegistered(Session s, ServerMessage.Registered m) {
        if (s.timings != null) {
            return;
        }
        String id = m.robotId();
        if (id != null && !id.equals(robotId)) {
            workDir.storeRobotId(id);
        }
        robotId = id;
        connectionId = m.connectionId();
        s.maxMessageBytes = Wire.orDefault(m.maxMessageBytes(), Protocol.MAX_MESSAGE_BYTES);
        Session.Timings t = new Session.Timings(Math.max(1, Wire.orDefault(m.heartbeatIntervalSeconds(), 5)),
                Wire.orDefault(m.heartbeatTimeoutSeconds(), 30), Wire.orDefault(m.cancelGraceSeconds(), 30));
        s.registeredNanos = System.nanoTime();
        s.nextHeartbeatNanos = s.registeredNanos + Duration.ofSeconds(t.heartbeatIntervalSeconds()).toNanos();
        s.timings = t;
        log.info("registered as robot {} on {} (connection {}, {} resumed, {} lost)", id, settings.url(), connectionId,
                m.resumed() == null ? 0 : m.resumed().size(), m.lost() == null ? 0 : m.lost().size());
        book.attach(s, m);
        if (shuttingDown) {
            s.request(AgentMessages.goodbye(), new Session.Awaited("goodbye", null, null));
        } else {
            setState(State.CONNECTED);
        }
    }

    /** An {@code ack} or {@code error}. */
    private void onAnswer(Session s, String replyTo, ServerMessage m) {
        Session.Awaited what = s.answered(replyTo);
        ServerMessage.Error error = m instanceof ServerMessage.Error e ? e : null;
        if (what == null) {
            if (error != null) {
                log.warn("the orchestrator reports {}: {}", error.code(), error.message());
            }
            return;
        }
        switch (what.type()) {
            case "register" -> {
                if (error != null && Boolean.TRUE.equals(error.retryable())) {
                    s.registerRetryAfter = Duration.ofMillis(Math.max(0, error.retryAfterMs()));
                    log.warn("registration not possible now: {}: {}", error.code(), error.message());
                } else if (error != null) {
                    log.error("registration refused: {}: {}", error.code(), error.message());
                }
            }
            case "heartbeat" -> {
                s.unansweredHeartbeats = 0;
                if (m instanceof ServerMessage.Ack ack) {
                    book.onHeartbeatAck(ack);
                }
            }
            case "goodbye" -> goodbyeAcked = error == null;
            default -> {
                if (what.job() != null) {
                    book.onAnswer(what, m);
                }
            }
        }
    }

    // ---- timers -----------------------------------------------------------------------------------

    private void tick() {
        try {
            book.tick();
            Session s = current;
            if (s != null && s.isRegistered()) {
                heartbeat(s);
            }
            long now = System.nanoTime();
            if (now - lastStatusNanos >= 1_000_000_000L) {
                lastStatusNanos = now;
                writeStatus();
            }
        } catch (Throwable e) { // an Error too: a scheduleWithFixedDelay task that throws never runs again
            log.error("robot timer failed; continuing", e);
        }
    }

    private void heartbeat(Session s) {
        long now = System.nanoTime();
        long interval = Duration.ofSeconds(s.timings.heartbeatIntervalSeconds()).toNanos();
        if (now - s.lastReceivedNanos > 3 * interval + 1_000_000_000L) {
            log.warn("nothing received for {} s: the connection looks dead; reconnecting", (now - s.lastReceivedNanos) / 1_000_000_000L);
            s.abort("silent connection");
            return;
        }
        if (now < s.nextHeartbeatNanos) {
            return;
        }
        if (s.unansweredHeartbeats >= 3) {
            log.warn("3 heartbeats unanswered: the connection looks dead; reconnecting");
            s.abort("heartbeats unanswered");
            return;
        }
        s.unansweredHeartbeats++;
        s.nextHeartbeatNanos = now + interval;
        s.request(messages.heartbeat(), new Session.Awaited("heartbeat", null, null));
    }

    private void writeStatus() {
        try {
            workDir.writeStatus(StatusReport.build(state, since, robotId, settings.name().orElse(AgentMessages.hostname()),
                    settings.url().toString(), settings.maxJobs(), connectionId, book.snapshot(), Instant.now()).toPrettyString());
        } catch (RuntimeException e) {
            log.debug("cannot write the status file: {}", e.getMessage());
        }
    }

    private void startJob(HeldJob job) {
        Thread t = new Thread(new JobRun(job, engine, book), "job-" + job.jobId);
        t.setDaemon(true);
        t.start();
    }

    private void setState(State next) {
        if (state != next) {
            state = next;
            since = Instant.now();
        }
    }
}
