package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;
import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Keeps robot liveness honest across database outages. Robots are judged silent by
 * {@code last_heartbeat} and leases expire by {@code lease_expires_at}; neither can be written
 * while the database is down or stalled, so without this an outage longer than the heartbeat
 * timeout would end the leases of every healthy robot the moment the database came back.
 *
 * <p>Each instance's lease sweep calls {@link #beat} first, every second. The beat writes the
 * instance's row in {@code instance_pulses} in a transaction that first takes the write locks
 * heartbeats and lease renewals need ({@link WriteProbe}), so pulses stop exactly while those
 * writes cannot happen. When the beat finds a gap longer than {@code stalledAfter}, it gives the
 * robots concerned a fresh window ({@code last_heartbeat} now, leases at least {@code window}
 * from now), in the same transaction, before the same sweep judges anyone:
 * <ul>
 *   <li>no instance pulsed for that long: every instance was cut off, every robot not offline is
 *   refreshed;
 *   <li>only this instance had not pulsed: the robots connected to it are;
 *   <li>another instance has not pulsed for that long, but for less than {@code deadAfter}: the
 *   robots connected to it are kept alive on its behalf (it may be cut off from the database
 *   while its robots are fine); past {@code deadAfter} it counts as dead and its robots are
 *   judged by their own heartbeats again.
 * </ul>
 * Times are the database's clock read after the locks were granted, so a beat that waited for
 * a lock measures the wait.
 */
public final class InstancePulses {
    private final Jdbi jdbi;
    private final Dialect dialect;
    private final String instanceId;
    private final Duration stalledAfter;
    private final Duration deadAfter;
    private final Duration window;
    private volatile OrchestratorInstances.Identity identity = OrchestratorInstances.Identity.UNKNOWN;

    /**
     * @param instanceId   this instance, as robots' connection records name it
     * @param stalledAfter an instance that has not pulsed for this long could not write
     * @param deadAfter    an instance that has not pulsed for this long is gone; its row is deleted
     * @param window       the fresh heartbeat window robots get after a gap
     */
    public InstancePulses(Jdbi jdbi, Dialect dialect, String instanceId, Duration stalledAfter, Duration deadAfter,
            Duration window) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.instanceId = instanceId;
        this.stalledAfter = stalledAfter;
        this.deadAfter = deadAfter;
        this.window = window;
    }

    /**
     * The pulses for a heartbeat timeout of {@code timeoutSeconds}: a gap of half the timeout
     * counts (a shorter one plus one heartbeat interval, at most a third of the timeout, stays
     * within it), an instance silent for twice the timeout is gone, and the window is the timeout.
     */
    public static InstancePulses forHeartbeatTimeout(Jdbi jdbi, Dialect dialect, String instanceId, int timeoutSeconds) {
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        return new InstancePulses(jdbi, dialect, instanceId, timeout.dividedBy(2), timeout.multipliedBy(2), timeout);
    }

    /** What this instance records of itself with its first pulse (GET /api/v1/instances); unknown unless said. */
    public InstancePulses describedAs(OrchestratorInstances.Identity identity) {
        this.identity = identity;
        return this;
    }

    /** What a beat found. */
    public enum Gap {
        /** Pulses were regular: nothing refreshed. */
        NONE,
        /** This instance could not write for a while: its robots were refreshed. */
        THIS_INSTANCE,
        /** No instance could write for a while: every robot not offline was refreshed. */
        EVERY_INSTANCE
    }

    /**
     * @param gap              the gap this beat found (other instances that cannot write now are not a gap)
     * @param stalledInstances other instances not writing now whose robots were kept alive
     * @param robotsRefreshed  robots given a fresh heartbeat window
     */
    public record Beat(Gap gap, List<String> stalledInstances, int robotsRefreshed) {}

    /** Records that this instance can write now, and refreshes the robots a gap concerns. */
    public Beat beat() {
        return Jdbi3.call("instance pulse", () -> jdbi.inTransaction(h -> {
            WriteProbe.STATEMENTS.forEach(h::execute);
            Instant now = h.createQuery("SELECT " + dialect.clockNow()).map((rs, ctx) -> instant(rs.getObject(1)).orElseThrow()).one();
            Instant stalledBefore = now.minus(stalledAfter);
            Optional<Instant> mine = pulseOf(h, instanceId);
            Optional<Instant> latest = h.createQuery("SELECT MAX(pulse_at) FROM instance_pulses")
                    .map((rs, ctx) -> instant(rs.getObject(1))).one();
            Gap gap = latest.isPresent() && latest.get().isBefore(stalledBefore) ? Gap.EVERY_INSTANCE
                    : mine.isPresent() && mine.get().isBefore(stalledBefore) ? Gap.THIS_INSTANCE : Gap.NONE;
            List<String> stalled = h.createQuery("SELECT instance_id FROM instance_pulses WHERE instance_id <> :me"
                            + " AND pulse_at < :stalled AND pulse_at >= :dead ORDER BY instance_id")
                    .bind("me", instanceId).bind("stalled", ts(stalledBefore)).bind("dead", ts(now.minus(deadAfter)))
                    .mapTo(String.class).list();
            List<String> connectedTo = new ArrayList<>(stalled);
            if (gap == Gap.THIS_INSTANCE) {
                connectedTo.add(instanceId);
            }
            int refreshed = gap == Gap.EVERY_INSTANCE ? refresh(h, "", List.of(), now)
                    : connectedTo.isEmpty() ? 0 : refresh(h, " AND connection_instance IN (<instances>)", connectedTo, now);
            List<String> dead = h.createQuery("SELECT instance_id FROM instance_pulses WHERE pulse_at < :dead")
                    .bind("dead", ts(now.minus(deadAfter))).mapTo(String.class).list();
            if (!dead.isEmpty()) {
                OrchestratorInstances.gone(h, dead, "silent");
                h.createUpdate("DELETE FROM instance_pulses WHERE instance_id IN (<ids>) AND pulse_at < :dead")
                        .bindList("ids", dead).bind("dead", ts(now.minus(deadAfter))).execute();
            }
            if (h.createUpdate("UPDATE instance_pulses SET pulse_at = :now WHERE instance_id = :me")
                    .bind("now", ts(now)).bind("me", instanceId).execute() == 0) {
                h.createUpdate("INSERT INTO instance_pulses (instance_id, pulse_at) VALUES (:me, :now)")
                        .bind("me", instanceId).bind("now", ts(now)).execute();
                OrchestratorInstances.started(h, instanceId, identity);
            }
            return new Beat(gap, stalled, refreshed);
        }));
    }

    /**
     * Gives the robots not offline that {@code scope} selects a fresh heartbeat window, and the
     * leases they hold at least {@link #window} more; returns how many robots.
     */
    private int refresh(Handle h, String scope, List<String> instances, Instant now) {
        String robots = "status <> 'offline'" + scope;
        var leases = h.createUpdate("UPDATE jobs SET lease_expires_at = :until WHERE " + JobTransitions.leased("")
                        + " AND lease_expires_at < :until AND robot_id IN (SELECT id FROM robots WHERE " + robots + ")")
                .bind("until", ts(now.plus(window)));
        var heartbeats = h.createUpdate("UPDATE robots SET last_heartbeat = :now WHERE " + robots
                        + " AND (last_heartbeat IS NULL OR last_heartbeat < :now)")
                .bind("now", ts(now));
        if (!instances.isEmpty()) {
            leases.bindList("instances", instances);
            heartbeats.bindList("instances", instances);
        }
        leases.execute();
        return heartbeats.execute();
    }

    private static Optional<Instant> pulseOf(Handle h, String instanceId) {
        return h.createQuery("SELECT pulse_at FROM instance_pulses WHERE instance_id = :me").bind("me", instanceId)
                .map((rs, ctx) -> instant(rs.getObject(1)).orElseThrow()).findOne();
    }

    /** This instance stops: its row goes, so its robots are judged by their own heartbeats at once. */
    public void forget() {
        Jdbi3.run("instance pulse", () -> jdbi.useTransaction(h -> {
            OrchestratorInstances.gone(h, List.of(instanceId), "stopped");
            h.createUpdate("DELETE FROM instance_pulses WHERE instance_id = :me").bind("me", instanceId).execute();
        }));
    }
}
