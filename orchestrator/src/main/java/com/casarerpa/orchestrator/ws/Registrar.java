package com.casarerpa.orchestrator.ws;

import com.casarerpa.common.cli.Version;
import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.service.DispatchSignal;
import com.casarerpa.orchestrator.service.ForbiddenException;
import com.casarerpa.orchestrator.service.InvalidInputException;
import com.casarerpa.orchestrator.service.RobotJobs;
import com.casarerpa.orchestrator.service.Robots;
import com.casarerpa.protocol.ws.Parts;
import com.casarerpa.protocol.ws.RobotMessage;
import com.casarerpa.protocol.ws.ServerMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code register}: checks what the robot says, lets {@code Robots} decide whether this key may
 * act as the robot id, makes this connection the robot's only one (an older one is closed with
 * 4009), resumes the leases it lists (ending the ones it does not), and answers
 * {@code registered}. A register that fails on the server's side (the database unavailable or
 * stalled) is answered with a retryable {@code error} and the connection closed with 1013 (try
 * again later), see {@code RobotMessages}; the robot reconnects at once.
 *
 * <p>At most {@value #AT_ONCE} registrations use the database at once on an instance; the others
 * wait their turn (on virtual threads, in arrival order), so that a reconnect storm neither takes
 * every pooled connection from heartbeats, dispatch and {@code /health} nor turns into pool
 * timeouts and retries. How many may wait is bounded before the upgrade ({@code UpgradeCheck}).
 */
final class Registrar {
    private static final Pattern ROBOT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final int CLOSE_REPLACED = 4009;
    private static final int CLOSE_VERSION = 4010;
    private static final int CLOSE_INVALID = 4022;
    private static final Set<String> VERSIONS = Set.of("protocol_version", "min_protocol_version");
    /** Registrations using the database at once; enough to keep it busy, few enough to leave the pool to the rest. */
    static final int AT_ONCE = 8;
    /** The longest a register waits for its turn before it is answered {@code unavailable} (and the robot retries later). */
    private static final Duration TURN_WAIT = Duration.ofSeconds(30);

    private final Robots robots;
    private final RobotJobs jobs;
    private final ChannelSettings settings;
    private final Clock clock;
    private final DispatchSignal dispatch;
    private final String instanceId;
    private final Connections connections;
    private final Semaphore turns = new Semaphore(AT_ONCE, true);

    Registrar(Robots robots, RobotJobs jobs, ChannelSettings settings, Clock clock, DispatchSignal dispatch, String instanceId,
            Connections connections) {
        this.robots = robots;
        this.jobs = jobs;
        this.settings = settings;
        this.clock = clock;
        this.dispatch = dispatch;
        this.instanceId = instanceId;
        this.connections = connections;
    }

    ServerMessage.Registered register(RobotConnection c, Incoming in) {
        if (c.isRegistered()) {
            throw ProtocolError.invalid("type", "register was already sent on this connection; reconnect to register again");
        }
        c.registerReceived();
        RobotMessage.Register m;
        try {
            m = in.decode(RobotMessage.Register.class);
        } catch (ProtocolError e) {
            // As when the versions are checked (below): a wrong version is answered, the connection kept.
            throw VERSIONS.contains(e.field()) ? e : e.thenClose(CLOSE_INVALID);
        }
        negotiate(m);
        Request r;
        try {
            r = read(c, m);
        } catch (ProtocolError e) {
            throw e.thenClose(CLOSE_INVALID);
        }
        awaitTurn();
        try {
            return register(c, m, r);
        } finally {
            turns.release();
        }
    }

    private void awaitTurn() {
        try {
            if (turns.tryAcquire(TURN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw ProtocolError.of("unavailable", "this instance is busy registering other robots; register again after"
                + " retry_after_ms, with jitter", true).with("retry_after_ms", 1000 + ThreadLocalRandom.current().nextInt(2000));
    }

    private ServerMessage.Registered register(RobotConnection c, RobotMessage.Register m, Request r) {
        try {
            robots.register(new Robot.Registration(r.offer().robotId(), r.name(), Optional.of(r.hostname()),
                    List.copyOf(r.offer().capabilities()), r.tags(), Optional.of(r.offer().environment()), r.offer().slots(),
                    r.agentVersion(), "websocket", r.offer().nodeTypes()), c.actor);
        } catch (ForbiddenException e) {
            throw ProtocolError.forbidden(e.getMessage());
        } catch (InvalidInputException e) {
            throw ProtocolError.from(e).thenClose(CLOSE_INVALID);
        }
        String robotId = r.offer().robotId();
        // First in the database (another instance that holds the old connection closes it, and
        // stops claiming for it), then here.
        robots.connected(robotId, c.connectionId, instanceId);
        connections.bind(robotId, c).ifPresent(old -> {
            ProtocolError replaced = ProtocolError.of("replaced", "robot " + robotId + " registered on another connection ("
                    + c.connectionId + "); this one is closed", false);
            old.outbox.send(Replies.error(null, replaced, null, null));
            old.outbox.close(CLOSE_REPLACED, "replaced: robot " + robotId + " registered on another connection");
        });
        RobotJobs.HeldLeases resumed = jobs.resume(robotId, r.held());
        c.registered(r.offer(), clock.instant());
        connections.registrationEnded(c);
        ServerMessage.Registered answer = registered(c, m.id(), robotId, resumed);
        dispatch.wake();
        return answer;
    }

    private static void negotiate(RobotMessage.Register m) {
        long max = Check.requiredInteger("protocol_version", m.protocolVersion());
        long min = Check.integer("min_protocol_version", m.minProtocolVersion()).orElse(max);
        if (min > ChannelSettings.PROTOCOL_VERSION || max < ChannelSettings.PROTOCOL_VERSION) {
            throw ProtocolError.of("unsupported_protocol_version", "this server speaks protocol version "
                    + ChannelSettings.PROTOCOL_VERSION + "; the robot speaks " + min + " to " + max, false)
                    .with("supported_versions", List.of(ChannelSettings.PROTOCOL_VERSION)).thenClose(CLOSE_VERSION);
        }
    }

    private record Request(RobotConnection.Offer offer, String name, String hostname, List<String> tags,
            Optional<String> agentVersion, Map<String, String> held) {}

    private static Request read(RobotConnection c, RobotMessage.Register m) {
        String hostname = Check.requiredText("hostname", m.hostname(), 255);
        String name = Check.text("name", m.name(), 200).orElse(hostname.length() > 200 ? hostname.substring(0, 200) : hostname);
        Optional<String> given = Check.text("robot_id", m.robotId(), 128);
        given.ifPresent(id -> {
            if (!ROBOT_ID.matcher(id).matches()) {
                throw ProtocolError.invalid("robot_id", "expected 1 to 128 characters of A-Z a-z 0-9 . _ : -, starting with a letter or digit");
            }
        });
        String robotId = given.or(c.actor::robotId).orElseGet(() -> newRobotId(hostname));
        Set<String> capabilities = new HashSet<>(Check.strings("capabilities", m.capabilities(), 100).orElse(List.of()));
        Optional<List<String>> nodeTypes = Check.strings("node_types", m.nodeTypes(), 2000);
        List<String> tags = Check.strings("tags", m.tags(), 50).orElse(List.of());
        String environment = Check.text("environment", m.environment(), 100).orElse("default");
        int slots = (int) (long) Check.integer("max_concurrent_jobs", m.maxConcurrentJobs()).orElse(1L);
        Optional<String> agent = Check.text("agent_version", m.agentVersion(), 100);
        Check.text("os", m.os(), 200);
        Map<String, String> held = new LinkedHashMap<>();
        List<Parts.HeldJob> jobs = Check.objects("jobs", m.jobs(), 256).orElse(List.of());
        for (int i = 0; i < jobs.size(); i++) {
            held.put(Check.requiredText(Check.item("jobs", i, "job_id"), jobs.get(i).jobId(), 64),
                    Check.requiredText(Check.item("jobs", i, "lease_token"), jobs.get(i).leaseToken(), 64));
            Check.oneOf(Check.item("jobs", i, "state"), jobs.get(i).state(), List.of("running", "finished"));
        }
        return new Request(new RobotConnection.Offer(robotId, capabilities, nodeTypes, environment, slots), name, hostname,
                tags, agent, held);
    }

    /** {@code robot-<host>-<8 hex>}, for a first registration that names no id. */
    private static String newRobotId(String hostname) {
        String host = hostname.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        host = host.isEmpty() ? "host" : host.substring(0, Math.min(host.length(), 64));
        return "robot-" + host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private ServerMessage.Registered registered(RobotConnection c, String replyTo, String robotId, RobotJobs.HeldLeases held) {
        ChannelSettings s = settings;
        List<Parts.ResumedLease> resumed = held.leases().stream().filter(RobotJobs.HeldLease::live)
                .map(l -> new Parts.ResumedLease(l.jobId(), l.token(), l.expiresAt().map(Replies::time).orElse(null),
                        l.cancelRequested().orElse(null)))
                .toList();
        return new ServerMessage.Registered(null, replyTo, robotId, ChannelSettings.PROTOCOL_VERSION, c.connectionId,
                Version.current(), Replies.time(held.serverTime()), s.heartbeatIntervalSeconds(), s.heartbeatTimeoutSeconds(),
                s.visibilityTimeoutSeconds(), s.cancelGraceSeconds(), ChannelSettings.MAX_MESSAGE_BYTES, resumed,
                Replies.lost(held));
    }
}
