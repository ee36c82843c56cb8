package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.metrics.Metrics;
import com.casarerpa.orchestrator.metrics.RobotMetrics;
import com.casarerpa.orchestrator.scheduler.BackgroundLoop;
import com.casarerpa.orchestrator.service.Authenticator;
import com.casarerpa.orchestrator.service.ChangedRobots;
import com.casarerpa.orchestrator.service.DispatchSignal;
import com.casarerpa.orchestrator.service.Dispatching;
import com.casarerpa.orchestrator.service.LoopStatus;
import com.casarerpa.orchestrator.service.RobotJobs;
import com.casarerpa.orchestrator.service.Robots;
import com.casarerpa.protocol.ws.ServerMessage;
import io.javalin.config.RoutesConfig;
import io.javalin.websocket.WsCloseContext;
import io.javalin.websocket.WsConnectContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The robot channel {@code /ws/robots} (docs/websocket-api.md): authentication before the
 * upgrade, one {@link RobotConnection} per socket, its messages handled in order, work pushed by
 * the {@link Dispatcher}, connections watched by the {@link ConnectionSupervisor}. Closing it
 * drains: robots are told to reconnect elsewhere, and those still connected after the drain
 * period are closed with 1001.
 */
public final class RobotChannel implements AutoCloseable {
    public static final String PATH = "/ws/robots";
    private static final Logger log = LoggerFactory.getLogger(RobotChannel.class);
    private static final int CLOSE_GOING_AWAY = 1001;
    private static final int CLOSE_INTERNAL = 1011;

    private final Connections connections = new Connections();
    private final String instanceId = newInstanceId();
    private final ConcurrentHashMap<String, RobotConnection> bySession = new ConcurrentHashMap<>();
    private final Robots robots;
    private final ChannelSettings settings;
    private final Clock clock;
    private final UpgradeCheck upgrade;
    private final Dispatcher dispatcher;
    private final RobotMessages messages;
    private final ConnectionSupervisor supervisor;
    private final RobotMetrics metrics;
    private final Object closedSignal = new Object();
    private volatile boolean draining;
    private volatile BackgroundLoop supervision;

    /**
     * @param queue   what this instance's {@link Dispatcher} reads and claims with
     * @param metrics where the channel counts its connections, messages, dispatch latency, stale
     *                reports and message rate-limit refusals
     */
    public RobotChannel(Robots robots, RobotJobs jobs, Dispatching queue, Authenticator authenticator,
            ConnectionGate gate, ChannelSettings settings, Clock clock, Metrics metrics) {
        this.robots = robots;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics.robots();
        this.upgrade = new UpgradeCheck(authenticator, gate, () -> draining, connections::registering, settings.maxRegistering());
        this.dispatcher = new Dispatcher(connections, queue, settings, clock, this.metrics);
        this.messages = new RobotMessages(robots, jobs, settings, clock, dispatcher, instanceId, connections, this.metrics,
                metrics.http());
        this.supervisor = new ConnectionSupervisor(connections, authenticator, robots, settings, clock);
        this.metrics.connections(connections::size);
    }

    /** This instance's id in the robots' connection records. */
    public String instanceId() {
        return instanceId;
    }

    /** A new instance id: {@code i_<pid>_<random>}. */
    private static String newInstanceId() {
        return "i_" + ProcessHandle.current().pid() + "_" + HexFormat.of().formatHex(randomBytes());
    }

    /**
     * A robot was deleted, or registered on another instance: closes at once the connections of
     * this instance that are no longer their robots' current ones (4004, 4009). The periodic
     * check does the same within a second when this signal is lost.
     */
    public void robotsChanged(ChangedRobots changed) {
        supervisor.checkOwnersSoon(changed);
    }

    /** Mounts the endpoint on the HTTP server's routes. */
    public void register(RoutesConfig routes) {
        routes.wsBeforeUpgrade(PATH, upgrade::check);
        routes.ws(PATH, ws -> {
            ws.onConnect(this::opened);
            ws.onMessage(ctx -> withConnection(ctx.sessionId(), c -> messages.onText(c, ctx.message())));
            ws.onBinaryMessage(ctx -> withConnection(ctx.sessionId(), messages::onBinary));
            ws.onClose(this::closed);
            ws.onError(ctx -> log.debug("robot connection {}: {}", bySession.get(ctx.sessionId()),
                    ctx.error() == null ? "error" : ctx.error().toString()));
        });
    }

    /** Starts pushing work and watching connections. */
    public RobotChannel start() {
        dispatcher.start();
        // Stalled after a minute: connections that no longer belong here, or never registered, stay open.
        supervision = BackgroundLoop.named("robot-channel").every(Duration.ofSeconds(1)).stalledAfter(Duration.ofSeconds(60))
                .start(supervisor);
        return this;
    }

    /** How the dispatcher's and the connection supervisor's loops fare (none before {@link #start()}). */
    public List<LoopStatus> loops() {
        List<LoopStatus> loops = new ArrayList<>();
        dispatcher.status().ifPresent(loops::add);
        Optional.ofNullable(supervision).map(BackgroundLoop::status).ifPresent(loops::add);
        return loops;
    }

    /** Wakes this instance's dispatcher: call after committing new jobs (the jobs API, the scheduler). */
    public DispatchSignal dispatchSignal() {
        return dispatcher;
    }

    private void opened(WsConnectContext ctx) {
        Actor actor = ctx.attribute(UpgradeCheck.ACTOR);
        String credential = ctx.attribute(UpgradeCheck.CREDENTIAL);
        if (actor == null || credential == null) {
            ctx.closeSession(CLOSE_INTERNAL, "internal error: the connection was not authenticated");
            return;
        }
        ctx.session.setMaxTextMessageSize(ChannelSettings.MAX_MESSAGE_BYTES);
        ctx.session.setIdleTimeout(settings.idleTimeout());
        String id = "c_" + HexFormat.of().formatHex(randomBytes());
        RobotConnection c = new RobotConnection(id, actor, credential, new Outbox(ctx.session, id, metrics), clock.instant(),
                settings);
        bySession.put(ctx.sessionId(), c);
        connections.opened(c);
        if (draining) {
            c.outbox.close(CLOSE_GOING_AWAY, "going away: this instance is stopping");
        }
        log.debug("robot connection {} opened by {}", id, actor.describe());
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private void withConnection(String sessionId, Consumer<RobotConnection> action) {
        RobotConnection c = bySession.get(sessionId);
        if (c != null) {
            action.accept(c);
        }
    }

    private void closed(WsCloseContext ctx) {
        RobotConnection c = bySession.remove(ctx.sessionId());
        if (c == null) {
            return;
        }
        boolean current = connections.closed(c);
        log.info("robot connection {} closed ({} {})", c, ctx.status(), ctx.reason() == null ? "" : ctx.reason());
        if (c.isRegistered()) {
            try {
                robots.disconnected(c.robotId(), c.connectionId);
            } catch (RuntimeException e) {
                log.debug("robot {}: connection {} not cleared: {}", c.robotId(), c.connectionId, e.getMessage());
            }
        }
        if (current && c.saidGoodbye()) {
            try {
                robots.saidGoodbye(c.robotId());
            } catch (RuntimeException e) {
                log.warn("robot {} said goodbye but could not be marked offline: {}", c.robotId(), e.getMessage());
            }
        }
        if (current) {
            dispatcher.wake();
        }
        synchronized (closedSignal) {
            closedSignal.notifyAll();
        }
    }

    /** Drains: no new connections or work, {@code drain} to every robot, then 1001 for those still here. */
    @Override
    public void close() {
        draining = true;
        for (RobotConnection c : connections.all()) {
            c.drain();
            c.outbox.send(new ServerMessage.Drain(c.nextServerId(), "shutting_down", ThreadLocalRandom.current().nextInt(1001)));
        }
        long deadline = System.nanoTime() + settings.drainClose().toNanos();
        synchronized (closedSignal) {
            while (!connections.isEmpty() && System.nanoTime() < deadline) {
                try {
                    closedSignal.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        for (RobotConnection c : connections.all()) {
            c.outbox.close(CLOSE_GOING_AWAY, "going away: this instance is stopping; reconnect");
        }
        if (supervision != null) {
            supervision.close();
        }
        dispatcher.close();
    }
}
