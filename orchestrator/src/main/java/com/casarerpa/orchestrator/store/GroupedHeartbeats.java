package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;

import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.events.Change;
import com.casarerpa.orchestrator.events.ChangeEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The heartbeats of WebSocket robots, group-committed ({@link GroupCommit}): the heartbeats that
 * arrive within a few milliseconds of each other, from any number of connections, are written in
 * one transaction of a few statements whatever their number (a batch of robot rows, a batch of
 * the minute's samples, a batch of lease renewals, one read of the leases, the database clock), and each robot's ack waits for
 * that commit. A heartbeat alone used to cost three to five transactions of its own, one a
 * durable {@code UPDATE robots}.
 *
 * <p>Liveness and fencing are what they were: {@code last_heartbeat} and {@code lease_expires_at}
 * are written by the database clock, in the transaction that answers the heartbeat, and the ack
 * (with the renewed expiry and the leases lost) goes out only after it committed. Every instance
 * and the reaper read them as before; a heartbeat reaches the database later than it used to by
 * at most {@link #GATHER} plus the commit of the group before it, a small part of a heartbeat
 * interval (docs/performance.md, "A big fleet").
 *
 * <p>What used to be checked per heartbeat is checked per group: a heartbeat of a robot that was
 * deleted changes nothing and says so ({@link Outcome#found}); one sent through a fleet key after
 * a key was bound to the robot changes nothing and says so ({@link Outcome#claimed}).
 */
public final class GroupedHeartbeats implements AutoCloseable {
    /** At most this many heartbeats in one transaction. */
    static final int MAX_GROUP = 1000;
    /** How long a group gathers before it is written (heartbeats come every few seconds; this bounds the transactions a second). */
    static final Duration GATHER = Duration.ofMillis(20);

    /**
     * One heartbeat.
     *
     * @param sampleAt     the minute whose sample ({@code robot_samples}) its measurements are, when one is due
     * @param leases       the leases it lists, lease token by job id
     * @param leaseSeconds how long each live one is renewed for
     * @param fleetKey     sent through a fleet key (a key bound to the robot since takes it away)
     */
    public record Heartbeat(String robotId, Robot.Metrics metrics, Optional<Instant> sampleAt, Map<String, String> leases,
            int leaseSeconds, boolean fleetKey) {}

    /**
     * What became of a heartbeat once its group committed.
     *
     * @param found   the robot exists (else nothing changed)
     * @param claimed it came through a fleet key and a key is bound to the robot (nothing changed)
     * @param lost    listed leases that were not live, so not renewed
     * @param leases  the listed leases as they stand after the renewals (tokens that never leased their job left out)
     * @param now     the database's clock after the renewals
     */
    public record Outcome(boolean found, boolean claimed, Set<String> lost, List<RobotLeases.LeaseState> leases, Instant now) {}

    private final Dialect dialect;
    private final ChangeEvents events;
    private final GroupCommit<Heartbeat, Outcome> groups;

    public GroupedHeartbeats(Jdbi jdbi, Dialect dialect, ChangeEvents events) {
        this.dialect = dialect;
        this.events = events;
        this.groups = new GroupCommit<>(jdbi, "heartbeats", MAX_GROUP, this::write).gathering(GATHER);
    }

    /** Queues the heartbeat for the next group; the outcome completes after that group committed. */
    public CompletableFuture<Outcome> submit(Heartbeat heartbeat) {
        return groups.submit(heartbeat);
    }

    /** Refuses new heartbeats and waits until those accepted are committed. */
    @Override
    public void close() {
        groups.close();
    }

    /** Groups written so far. */
    long groups() {
        return groups.groups();
    }

    /** For tests: no group starts until the returned handle is closed. */
    AutoCloseable holdWrites() {
        return groups.holdWrites();
    }

    /**
     * The group in one transaction: robot rows in id order and leases in job order (every group
     * locks rows in the same order), then the listed leases read back and the clock.
     */
    private List<Outcome> write(Handle h, List<Heartbeat> group) {
        Set<String> claimed = claimed(h, group);
        List<Integer> beating = IntStream.range(0, group.size())
                .filter(i -> !(group.get(i).fleetKey() && claimed.contains(group.get(i).robotId())))
                .boxed().sorted(Comparator.comparing(i -> group.get(i).robotId())).toList();
        Set<String> found = touch(h, beating.stream().map(group::get).toList());
        RobotSamples.recordAll(h, dialect, beating.stream().map(group::get)
                .filter(b -> b.sampleAt().isPresent() && found.contains(b.robotId())).toList());
        record Renewal(int beat, String jobId, String token) {}
        List<Renewal> renewals = new ArrayList<>();
        for (int i : beating) {
            if (found.contains(group.get(i).robotId())) {
                int beat = i;
                group.get(i).leases().forEach((job, token) -> renewals.add(new Renewal(beat, job, token)));
            }
        }
        renewals.sort(Comparator.comparing(Renewal::jobId));
        Set<Renewal> notRenewed = new HashSet<>();
        if (!renewals.isEmpty()) {
            PreparedBatch renew = h.prepareBatch(JobTransitions.renew(dialect));
            renewals.forEach(r -> renew.bind("id", r.jobId()).bind("token", r.token()).bind("robot", group.get(r.beat()).robotId())
                    .bind("seconds", group.get(r.beat()).leaseSeconds()).add());
            int[] counts = renew.execute();
            for (int k = 0; k < counts.length; k++) {
                if (counts[k] == 0) {
                    notRenewed.add(renewals.get(k));
                }
            }
        }
        List<RobotLeases.LeaseState> states = RobotLeases.read(h, renewals.stream().map(r -> Map.entry(r.jobId(), r.token())).toList());
        Instant now = h.createQuery("SELECT " + dialect.clockNow()).map((rs, ctx) -> instant(rs.getObject(1)).orElseThrow()).one();
        Map<String, List<RobotLeases.LeaseState>> byJob = new HashMap<>();
        states.forEach(l -> byJob.computeIfAbsent(l.jobId(), j -> new ArrayList<>()).add(l));
        Map<Integer, Set<String>> lost = new HashMap<>();
        notRenewed.forEach(r -> lost.computeIfAbsent(r.beat(), b -> new HashSet<>()).add(r.jobId()));
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            Heartbeat b = group.get(i);
            List<RobotLeases.LeaseState> mine = new ArrayList<>();
            b.leases().forEach((job, token) -> byJob.getOrDefault(job, List.of()).stream()
                    .filter(l -> l.token().equals(token)).forEach(mine::add));
            boolean isClaimed = b.fleetKey() && claimed.contains(b.robotId());
            out.add(new Outcome(!isClaimed && found.contains(b.robotId()), isClaimed, lost.getOrDefault(i, Set.of()), mine, now));
        }
        return out;
    }

    /** The robots named by the group's fleet-key heartbeats that a key is (or was) bound to. */
    private static Set<String> claimed(Handle h, List<Heartbeat> group) {
        List<String> ids = group.stream().filter(Heartbeat::fleetKey).map(Heartbeat::robotId).distinct().toList();
        if (ids.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(h.createQuery("SELECT DISTINCT robot_id FROM api_keys WHERE robot_id IN (<ids>)")
                .bindList("ids", ids).mapTo(String.class).list());
    }

    /**
     * Writes the heartbeats into their robots' rows as {@link RobotStore#heartbeat} does, a batch
     * for the robots not offline and one for the rest (an offline robot is online again, published
     * after the commit); returns the robots found.
     */
    private Set<String> touch(Handle h, List<Heartbeat> beats) {
        Set<String> found = new HashSet<>();
        if (beats.isEmpty()) {
            return found;
        }
        List<Heartbeat> offline = new ArrayList<>();
        int[] counts = touch(h, beats, false);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                found.add(beats.get(i).robotId());
            } else {
                offline.add(beats.get(i));
            }
        }
        if (!offline.isEmpty()) {
            int[] back = touch(h, offline, true);
            for (int i = 0; i < back.length; i++) {
                String id = offline.get(i).robotId();
                if (back[i] > 0 && found.add(id)) {
                    events.afterCommit(h, Change.robot(id, Optional.of(Robot.Status.OFFLINE.wireName()), Robot.Status.ONLINE.wireName()));
                }
            }
        }
        return found;
    }

    private static int[] touch(Handle h, List<Heartbeat> beats, boolean wasOffline) {
        PreparedBatch batch = h.prepareBatch(RobotStore.heartbeatUpdate(wasOffline));
        beats.forEach(b -> RobotStore.bindHeartbeat(batch, b.robotId(), b.metrics()).add());
        return batch.execute();
    }
}
