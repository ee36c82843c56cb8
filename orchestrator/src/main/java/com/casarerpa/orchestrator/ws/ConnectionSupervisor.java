package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.error.OrchestratorException;
import com.casarerpa.orchestrator.service.Authenticator;
import com.casarerpa.orchestrator.service.ChangedRobots;
import com.casarerpa.orchestrator.service.NotAuthenticated;
import com.casarerpa.orchestrator.service.Robots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the open connections once a second: a connection that has not sent {@code register}
 * within the deadline is closed with 1008 (a register that arrived in time is in time, however
 * long the server then takes with it: its own database time is not the robot's fault); a robot
 * silent past the heartbeat timeout (time the server spent handling its messages, reading nothing
 * from it, not counted) with 4008 (the reaper
 * ends its leases by the database clock), and so is one that stopped reading (a write pending
 * for that long); a connection whose key was revoked or expired (checked again every
 * {@code keyRecheck}) with 4001. Each close follows an {@code error} that says why.
 *
 * <p>It also checks, against the database, that each registered connection is still its robot's
 * current one: a robot deleted meanwhile is closed with 4004, one that registered on another
 * connection (on any instance) with 4009. {@link #checkOwnersSoon} runs that check at once for
 * the robots an instance names in such a signal, when this instance holds a connection of one.
 */
final class ConnectionSupervisor implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionSupervisor.class);
    static final int CLOSE_DELETED = 4004;
    static final int CLOSE_HEARTBEAT = 4008;
    static final int CLOSE_REPLACED = 4009;

    private final Connections connections;
    private final Authenticator authenticator;
    private final Robots robots;
    private final ChannelSettings settings;
    private final Clock clock;
    private final AtomicBoolean ownerCheckQueued = new AtomicBoolean();
    /** Robots to check in the queued check; {@link #ownerCheckOfAll}: every connection. */
    private final Set<String> ownerChecks = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean ownerCheckOfAll = new AtomicBoolean();

    ConnectionSupervisor(Connections connections, Authenticator authenticator, Robots robots, ChannelSettings settings,
            Clock clock) {
        this.connections = connections;
        this.authenticator = authenticator;
        this.robots = robots;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void run() {
        Instant now = clock.instant();
        Duration timeout = Duration.ofSeconds(settings.heartbeatTimeoutSeconds());
        for (RobotConnection c : connections.all()) {
            if (c.outbox.closing()) {
                if (c.outbox.stalled(timeout)) {
                    c.outbox.disconnect();
                }
                continue;
            }
            if (!c.isRegistered() && !c.hasSentRegister() && now.isAfter(c.openedAt.plus(settings.registerDeadline()))) {
                close(c, "register_timeout", 1008, "policy violation: no register within "
                        + settings.registerDeadline().toSeconds() + " s of the upgrade");
            } else if (c.isRegistered() && c.silentFor(timeout, now)) {
                close(c, "heartbeat_timeout", CLOSE_HEARTBEAT, "heartbeat timeout: no heartbeat for "
                        + settings.heartbeatTimeoutSeconds() + " s; its leases end");
            } else if (c.outbox.stalled(timeout)) {
                String reason = "heartbeat timeout: the robot read nothing for " + settings.heartbeatTimeoutSeconds()
                        + " s; its leases end";
                log.info("closing robot connection {}: {}", c, reason);
                c.outbox.closeNow(CLOSE_HEARTBEAT, reason);
            } else if (now.isAfter(c.lastKeyCheck().plus(settings.keyRecheck()))) {
                recheckKey(c, now);
            }
        }
        checkOwners();
    }

    /**
     * Checks soon, on another thread, the connections this instance holds of the robots named
     * (of every robot for {@link ChangedRobots#ANY}); robots it holds none of cost nothing. Calls
     * while one check is queued ride on it.
     */
    void checkOwnersSoon(ChangedRobots changed) {
        if (changed.ids().isEmpty()) {
            ownerCheckOfAll.set(true);
        } else {
            changed.ids().get().stream().filter(id -> connections.ofRobot(id).isPresent()).forEach(ownerChecks::add);
            if (ownerChecks.isEmpty() && !ownerCheckOfAll.get()) {
                return;
            }
        }
        if (ownerCheckQueued.compareAndSet(false, true)) {
            Thread.ofVirtual().name("casare-robot-owners").start(() -> {
                ownerCheckQueued.set(false);
                boolean all = ownerCheckOfAll.getAndSet(false);
                Set<String> ids = Set.copyOf(ownerChecks);
                ownerChecks.removeAll(ids);
                try {
                    checkOwners(all ? c -> true : c -> ids.contains(c.robotId()));
                } catch (Throwable e) { // the periodic check runs anyway; say why this one did not
                    log.debug("robot connections not checked ({}); the next periodic check will", e.toString());
                }
            });
        }
    }

    /** Closes each registered connection of this instance that is no longer its robot's current one. */
    void checkOwners() {
        checkOwners(c -> true);
    }

    private void checkOwners(Predicate<RobotConnection> which) {
        List<RobotConnection> current = connections.current().stream()
                .filter(c -> c.isRegistered() && !c.outbox.closing()).filter(which).toList();
        if (current.isEmpty()) {
            return;
        }
        Map<String, String> owners;
        try {
            owners = robots.currentConnections(current.stream().map(RobotConnection::robotId).toList());
        } catch (OrchestratorException e) { // the database unavailable (503, retryable); anything else is not ours to absorb
            if (!e.retryable()) {
                throw e;
            }
            log.debug("robot connections not checked: {}", e.getMessage());
            return;
        }
        for (RobotConnection c : current) {
            String owner = owners.get(c.robotId());
            if (owner == null) {
                close(c, "robot_deleted", CLOSE_DELETED, "robot deleted: robot " + c.robotId()
                        + " was deleted by an administrator; its leases ended. Do not reconnect");
            } else if (!owner.equals(c.connectionId)) {
                close(c, "replaced", CLOSE_REPLACED, "replaced: robot " + c.robotId() + " registered on another connection"
                        + (owner.isEmpty() ? "" : " (" + owner + ")"));
            }
        }
    }

    private void recheckKey(RobotConnection c, Instant now) {
        try {
            authenticator.authenticate(c.credential());
            c.keyChecked(now);
        } catch (NotAuthenticated e) {
            close(c, "unauthorized", 4001, "unauthenticated: " + e.getMessage());
        } catch (OrchestratorException e) { // the database unavailable (503, retryable); anything else is not ours to absorb
            if (!e.retryable()) {
                throw e;
            }
            log.debug("key of connection {} not checked again: {}", c, e.getMessage());
        }
    }

    private static void close(RobotConnection c, String code, int closeCode, String reason) {
        log.info("closing robot connection {}: {}", c, reason);
        c.outbox.send(Replies.error(null, ProtocolError.of(code, reason, false), null, null));
        c.outbox.close(closeCode, reason);
    }
}
