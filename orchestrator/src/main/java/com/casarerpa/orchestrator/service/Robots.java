package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.AuditTrail;
import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.domain.RobotFilter;
import com.casarerpa.orchestrator.paging.Page;
import com.casarerpa.orchestrator.paging.PageRequest;
import com.casarerpa.orchestrator.store.RobotListing;
import com.casarerpa.orchestrator.store.RobotStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet: robots register (again after a restart, keeping their id), heartbeat, report a
 * status; operators list them, put them in maintenance (no new work, running work finishes) and
 * delete them. Every robot-side call is checked against what the caller's key may act as.
 */
public final class Robots {
    private final RobotStore store;
    private final AuditTrail audit;
    private final RobotSignals signals;
    private final RobotSampling sampling;

    public Robots(RobotStore store, AuditTrail audit) {
        this(store, audit, RobotSignals.NONE, RobotSampling.NONE);
    }

    /**
     * @param signals  told when a connection of another instance must close (robot deleted or replaced)
     * @param sampling keeps a sample of each robot's measurements a minute
     */
    public Robots(RobotStore store, AuditTrail audit, RobotSignals signals, RobotSampling sampling) {
        this.store = store;
        this.audit = audit;
        this.signals = signals;
        this.sampling = sampling;
    }

    public Robot register(Robot.Registration registration, Actor actor) {
        String id = registration.id();
        if (!Robot.isValidId(id)) {
            throw new InvalidInputException("robot_id", Robot.ID_RULE);
        }
        if (registration.name() == null || registration.name().isBlank() || registration.name().length() > 200) {
            throw new InvalidInputException("name", "1 to 200 characters");
        }
        if (registration.maxConcurrentJobs() < 1 || registration.maxConcurrentJobs() > 1000) {
            throw new InvalidInputException("max_concurrent_jobs", "from 1 to 1000, got " + registration.maxConcurrentJobs());
        }
        return audit.atomically(() -> {
            Optional<Robot> existing = store.find(id);
            RobotAccess.checkRegister(actor, id, existing, claimedByBoundKey(id, actor));
            Robot robot = store.register(registration, existing.isPresent() ? Optional.empty() : Optional.of(actor.id()));
            if (existing.isEmpty()) {
                audit.record(actor, "robot.register", "robot", id, Map.of("name", registration.name()));
            }
            return joinKeyFolders(robot, actor);
        });
    }

    /**
     * A robot key that names folders puts the robot that registers with it in those folders,
     * replacing what it had: the key says where its robots work. A key that names none leaves the
     * robot's folders as they are ({@code PUT /api/v1/robots/{id}/folders} decides).
     */
    private Robot joinKeyFolders(Robot robot, Actor actor) {
        if (!actor.robot()) {
            return robot;
        }
        List<String> named = store.foldersOfKey(actor.id());
        if (named.isEmpty() || named.equals(robot.folders())) {
            return robot;
        }
        store.assignFolders(robot.id(), named);
        audit.record(actor, "robot.assign_folders", "robot", robot.id(), Map.of("folders", named, "from_key", actor.id()));
        return robot.withFolders(named);
    }

    /** The robot, if the caller may act as it (404 when it does not exist, 403 when not allowed). */
    public Robot actingAs(String id, Actor actor) {
        Robot robot = get(id);
        RobotAccess.checkActAs(actor, robot, claimedByBoundKey(id, actor));
        return robot;
    }

    /**
     * The robot, if it exists and the caller's key speaks for it (an admin's, the key bound to it,
     * the fleet key that registered it); empty otherwise. Checked as {@link #actingAs} checks, so
     * a fleet key whose robot a bound key took hears why (403) instead of being told nothing.
     */
    public Optional<Robot> spokenForBy(String id, Actor actor) {
        Optional<Robot> robot = store.find(id).filter(r -> RobotAccess.mayActAs(actor, r, false));
        robot.ifPresent(r -> RobotAccess.checkActAs(actor, r, claimedByBoundKey(id, actor)));
        return robot;
    }

    /**
     * For a connection that registered as the robot earlier: throws {@link ForbiddenException}
     * when a key bound to the robot was created since, the one change that takes a robot from a
     * fleet key while its connection stays the current one. One indexed read for a fleet key,
     * none for other keys.
     */
    public void checkStillActingAs(String id, Actor actor) {
        if (claimedByBoundKey(id, actor)) {
            throw RobotAccess.claimed(actor, id);
        }
    }

    /**
     * Who reports for robot {@code id} over a connection of {@code actor}: for a fleet key, with
     * the check of {@link #checkStillActingAs}, which its grouped reports make in their statement.
     */
    public Reporter reporter(String id, Actor actor) {
        return RobotAccess.isFleetKey(actor) ? new Reporter(id, Optional.of(() -> checkStillActingAs(id, actor)))
                : Reporter.robot(id);
    }

    /** Whether a key bound to the robot id takes it from this caller: asked only of fleet keys. */
    private boolean claimedByBoundKey(String id, Actor actor) {
        return RobotAccess.isFleetKey(actor) && store.hasBoundKey(id);
    }

    public Robot get(String id) {
        return store.find(id).orElseThrow(() -> new NotFoundException("robot " + id + " is not registered"));
    }

    public List<Robot> list() {
        return store.list();
    }

    /**
     * A page of the robots {@code filter} matches, by id; the caller narrows the filter to what it
     * may see first ({@link RobotFolders#visible(RobotFilter, Optional, Actor, com.casarerpa.orchestrator.domain.FolderTree)}).
     *
     * @throws InvalidInputException ({@code cursor}) when the page's cursor is not one of this listing
     */
    public Page<Robot> list(RobotFilter filter, PageRequest page) {
        page.after().flatMap(RobotListing::problemWithCursor).ifPresent(p -> {
            throw new InvalidInputException("cursor", p);
        });
        return store.list(filter, page);
    }

    public void heartbeat(String id, Robot.Metrics metrics, Actor actor) {
        actingAs(id, actor);
        if (store.heartbeat(id, metrics)) {
            sampling.heartbeat(id, metrics);
        }
    }

    /** The minute whose sample a grouped heartbeat ({@link RobotJobs#heartbeat}) writes, if one is due ({@link RobotSampling#due}). */
    Optional<java.time.Instant> sampleDue(String id, Robot.Metrics metrics) {
        return sampling.due(id, metrics);
    }

    /** What a robot says it is doing: {@code idle} (= online), {@code online}, {@code busy}, {@code offline}. */
    public void reportStatus(String id, String status, Actor actor) {
        actingAs(id, actor);
        Robot.Status s = switch (status == null ? "" : status) {
            case "idle", "online" -> Robot.Status.ONLINE;
            case "busy" -> Robot.Status.BUSY;
            case "offline" -> Robot.Status.OFFLINE;
            default -> throw new InvalidInputException("status", "expected idle, online, busy or offline, got \"" + status + "\"");
        };
        store.setStatus(id, s);
    }

    public Robot setMaintenance(String id, boolean on, Actor actor) {
        get(id);
        audit.atomically(() -> {
            store.setMaintenance(id, on);
            audit.record(actor, on ? "robot.maintenance_on" : "robot.maintenance_off", "robot", id, Map.of());
        });
        return get(id);
    }

    /**
     * Deletes a robot; jobs it held go back to the queue by lease expiry. Its live WebSocket
     * connection, on whichever instance, is closed with 4004.
     */
    public void delete(String id, Actor actor) {
        get(id);
        audit.atomically(() -> {
            store.expireLeasesOf(id);
            store.delete(id);
            audit.record(actor, "robot.delete", "robot", id, Map.of());
        });
        sampling.forget(id);
        signals.robotsChanged(id);
    }

    /**
     * Makes a WebSocket connection the robot's current one, across instances; the connection it
     * replaces, if any, is returned (and, when another instance holds it, that instance is told).
     */
    public Optional<RobotStore.Connection> connected(String robotId, String connectionId, String instanceId) {
        Optional<RobotStore.Connection> previous = store.connect(robotId, connectionId, instanceId);
        if (previous.isPresent() && !previous.get().instanceId().equals(instanceId)) {
            signals.robotsChanged(robotId);
        }
        return previous;
    }

    /**
     * The robot said goodbye and its connection closed: it is offline, and the leases it still
     * holds end now (the lease sweep re-queues their jobs).
     */
    public void saidGoodbye(String robotId) {
        store.setStatus(robotId, Robot.Status.OFFLINE);
        store.expireLeasesOf(robotId);
    }

    /** The connection closed: the robot has none, unless a newer one took its place already. */
    public void disconnected(String robotId, String connectionId) {
        store.disconnect(robotId, connectionId);
    }

    /** The current connection id of each of these robots ({@code ""}: none); deleted robots are left out. */
    public Map<String, String> currentConnections(java.util.Collection<String> robotIds) {
        return store.currentConnections(robotIds);
    }

    /** The only robot a key speaks for, when there is exactly one (its bound robot, or the one it registered). */
    public Optional<String> soleRobotOf(Actor actor) {
        if (actor.robotId().isPresent()) {
            return actor.robotId();
        }
        List<String> registered = store.registeredBy(actor.id());
        return registered.size() == 1 ? Optional.of(registered.getFirst()) : Optional.empty();
    }

    public List<String> currentJobs(String id) {
        return store.currentJobs(id);
    }

    public int online() {
        return store.countOnline();
    }

    public int freeSlots(Robot robot) {
        return Math.max(0, robot.maxConcurrentJobs() - store.leasedJobs(robot.id()));
    }
}
