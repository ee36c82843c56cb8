package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.domain.FleetClaim;
import com.casarerpa.orchestrator.domain.JobAssignment;
import com.casarerpa.orchestrator.domain.RobotLoad;
import com.casarerpa.orchestrator.domain.StoppingJob;
import com.casarerpa.orchestrator.metrics.RobotMetrics;
import com.casarerpa.orchestrator.scheduler.BackgroundLoop;
import com.casarerpa.orchestrator.service.DispatchSignal;
import com.casarerpa.orchestrator.service.Dispatching;
import com.casarerpa.orchestrator.service.LoopStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes work to the robots connected to this instance: in each round, the robots that accept
 * work and have free slots (its {@code max_concurrent_jobs} minus its live leases, by the
 * database; read only for as many robots as there are runnable jobs, in rotation, see
 * {@link #offer}) get up to that many matching jobs each, claimed in one statement for all robots that
 * offer the same (capabilities, environment, node types) and serve the same folders (as the
 * database says in each round, so a new assignment counts at the next claim), each sent as {@code job_assign} with
 * its payload from that statement; and every job of a connected robot that is marked to stop
 * gets {@code job_cancel} (again every {@link ChannelSettings#cancelResend()} while unconfirmed).
 *
 * <p>A round runs when {@link #wake()} is called (a job was submitted or went back to pending, a
 * robot registered) or {@link #slotFreed()} (a job ended), and otherwise every {@code poll},
 * which also catches jobs submitted on other instances and cancels requested there. A round
 * woken only by freed slots does not claim for an offer whose last claim came back short (the
 * queue had nothing more for it and nothing was submitted since). Rounds never overlap: one
 * {@link BackgroundLoop} runs them, and a round that fails is logged and the next one runs.
 *
 * <p>A claim that fails on the connection to the database may have committed all the same; the
 * next round that reaches the database sends what it leased (by the lease tokens the dispatcher
 * chose for it), so such jobs neither wait for their leases to expire nor run as a second attempt.
 *
 * <p>Across instances, {@code app/JobWakeups} turns each PostgreSQL {@code NOTIFY casare_jobs}
 * into a {@link #wake()}; the poll remains the fallback while the listener reconnects.
 *
 * <p>Each {@code job_assign} records its dispatch latency: how long the job had been
 * dispatchable when the claim took it (the database's clock, {@link JobAssignment#waited()}),
 * plus the time from the start of the claim call to the message given to the robot's connection
 * (this instance's monotonic clock).
 */
public final class Dispatcher implements DispatchSignal, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    /** More claims in doubt than this are not remembered (the reaper re-queues their jobs when the leases end). */
    private static final int MAX_IN_DOUBT = 10_000;
    /** Without a completed round for this long, the instance is not ready: its robots get no work pushed. */
    static final Duration STALLED_AFTER = Duration.ofSeconds(60);
    /** A round counts the runnable jobs up to this many: it offers at most about as many robots' slots. */
    static final int MAX_RUNNABLE = 10_000;
    /** The fewest robots whose loads a round reads at once. */
    static final int FIRST_CHUNK = 64;

    private final Connections connections;
    private final Dispatching queue;
    private final ChannelSettings settings;
    private final Clock clock;
    private final RobotMetrics metrics;
    private final AtomicInteger rotation = new AtomicInteger();
    /** Counts {@link #wake()} calls: anything that may have made a job dispatchable. */
    private final AtomicLong workSignals = new AtomicLong();
    /** Fleets whose last claim came back short, with the {@link #workSignals} count at the start of that round. */
    private final Map<FleetKey, Long> emptySince = new HashMap<>();
    private volatile BackgroundLoop rounds;
    /**
     * Lease tokens of claims that failed on the connection to the database, by the robot
     * connection each was made for: such a claim may have committed with its answer lost. The
     * next round that reaches the database sends what they leased ({@link #deliverInDoubt}).
     */
    private final Map<String, String> inDoubt = new HashMap<>();

    Dispatcher(Connections connections, Dispatching queue, ChannelSettings settings, Clock clock, RobotMetrics metrics) {
        this.connections = connections;
        this.queue = queue;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
    }

    void start() {
        rounds = BackgroundLoop.named("dispatcher").every(settings.poll()).stalledAfter(STALLED_AFTER).start(woken -> {
            round(woken);
            return settings.poll();
        });
    }

    /** Asks for a dispatch round now. Never blocks; a burst of calls makes one round. */
    @Override
    public void wake() {
        workSignals.incrementAndGet();
        signalRound();
    }

    /** A round for the cancels and, unless the queue was found empty since the last {@link #wake()}, claims. */
    @Override
    public void slotFreed() {
        signalRound();
    }

    private void signalRound() {
        BackgroundLoop r = rounds;
        if (r != null) {
            r.wake();
        }
    }

    /** One round: cancels first (they free slots), then assignments. */
    void round(boolean woken) {
        long signals = workSignals.get();
        deliverInDoubt();
        List<RobotConnection> current = connections.current();
        if (current.isEmpty()) {
            return;
        }
        pushCancels(current);
        Instant now = clock.instant();
        List<RobotConnection> ready = current.stream().filter(c -> c.acceptsWork(now)).toList();
        if (ready.isEmpty()) {
            return;
        }
        // Offers whose claim came back short since the last wake(): woken only by freed slots, a
        // claim for them cannot find anything new. (Rounds by the poll look anyway: retry delays
        // that ran out, work of other instances.)
        emptySince.values().removeIf(at -> at != signals);
        Set<OfferKey> emptyOffers = emptySince.keySet().stream().map(FleetKey::offer).collect(Collectors.toSet());
        Map<OfferKey, List<RobotConnection>> byOffer = new LinkedHashMap<>();
        int start = Math.floorMod(rotation.getAndIncrement(), ready.size());
        for (int i = 0; i < ready.size(); i++) {
            RobotConnection c = ready.get((start + i) % ready.size());
            byOffer.computeIfAbsent(OfferKey.of(c.offer().orElseThrow()), k -> new ArrayList<>()).add(c);
        }
        if (woken && emptyOffers.containsAll(byOffer.keySet())) {
            return;
        }
        int runnable = queue.runnable(MAX_RUNNABLE);
        if (runnable == 0) {
            return;
        }
        for (List<RobotConnection> robots : byOffer.values()) {
            offer(robots, runnable, woken, signals);
        }
    }

    /**
     * Offers the robots of one offer (in rotation order) to the queue, no more of them than there
     * is work for: their loads are read a chunk at a time, the first as large as the runnable jobs
     * (at least {@link #FIRST_CHUNK}), each next one twice the last, and each chunk's free robots
     * claim at once. It stops when the claims took as many jobs as were runnable or the robots
     * ran out. A round's cost so grows with the work, not with the idle robots; only work that no
     * robot of the offer can take (other folders) has it read them all, in a few statements.
     */
    private void offer(List<RobotConnection> robots, int runnable, boolean woken, long signals) {
        int left = runnable;
        int from = 0;
        int chunk = Math.max(runnable, FIRST_CHUNK);
        while (left > 0 && from < robots.size()) {
            List<RobotConnection> part = robots.subList(from, Math.min(robots.size(), from + chunk));
            from += part.size();
            chunk *= 2;
            Map<String, RobotLoad> loads = queue.loads(part.stream().map(RobotConnection::robotId).toList());
            // Robots that offer the same get one claim together: the queue answers them all the same.
            Map<FleetKey, List<Free>> fleets = new LinkedHashMap<>();
            for (RobotConnection c : part) {
                RobotLoad load = loads.get(c.robotId());
                if (load != null && !load.maintenance() && load.free() > 0) {
                    RobotConnection.Offer offer = c.offer().orElseThrow();
                    fleets.computeIfAbsent(new FleetKey(OfferKey.of(offer), load.folders()), k -> new ArrayList<>())
                            .add(new Free(c, Math.min(load.free(), offer.slots())));
                }
            }
            for (Map.Entry<FleetKey, List<Free>> fleet : fleets.entrySet()) {
                if (woken && emptySince.containsKey(fleet.getKey())) {
                    continue;
                }
                Claimed claimed = assign(fleet.getKey(), fleet.getValue());
                left -= claimed.jobs();
                if (claimed.exhausted()) {
                    emptySince.put(fleet.getKey(), signals);
                } else {
                    emptySince.remove(fleet.getKey());
                }
            }
        }
    }

    /** What decides which jobs a robot may get; robots with equal keys compete for the same jobs. */
    private record OfferKey(Set<String> capabilities, String environment, Optional<Set<String>> nodeTypes) {
        static OfferKey of(RobotConnection.Offer o) {
            return new OfferKey(Set.copyOf(o.capabilities()), o.environment(), o.nodeTypes().map(Set::copyOf));
        }
    }

    /** Robots with equal offers assigned to the same folders (empty: the root): one claim serves them all. */
    private record FleetKey(OfferKey offer, Set<String> folders) {}

    /** A robot ready for work and how many jobs it takes now. */
    private record Free(RobotConnection connection, int slots) {}

    /** What a claim took: how many jobs, and whether fewer than the slots offered (no more matching jobs now). */
    private record Claimed(int jobs, boolean exhausted) {}

    /**
     * Claims for robots with the same offer in one statement, one entry per free slot taken in
     * turns (each robot's first slot, then each one's second, …), so a short queue is spread over
     * the robots rather than filling the first; pushes each job to its robot.
     */
    private Claimed assign(FleetKey fleet, List<Free> robots) {
        OfferKey key = fleet.offer();
        List<String> slots = new ArrayList<>();
        Map<String, RobotConnection> byRobot = new HashMap<>();
        int most = robots.stream().mapToInt(Free::slots).max().orElse(0);
        for (int turn = 0; turn < most; turn++) {
            for (Free f : robots) {
                if (turn < f.slots()) {
                    slots.add(f.connection().robotId());
                }
            }
        }
        Map<String, String> connectionIds = new HashMap<>();
        robots.forEach(f -> {
            byRobot.put(f.connection().robotId(), f.connection());
            connectionIds.put(f.connection().robotId(), f.connection().connectionId);
        });
        List<String> tokens = FleetClaim.newTokens(slots.size());
        List<JobAssignment> claimed;
        long asked = System.nanoTime();
        try {
            claimed = queue.claim(new FleetClaim(key.capabilities(), Optional.of(key.environment()),
                    key.nodeTypes(), slots, settings.visibilityTimeoutSeconds(), connectionIds, tokens).inFolders(fleet.folders()));
        } catch (RuntimeException e) {
            if (inDoubt.size() < MAX_IN_DOUBT) {
                for (int i = 0; i < slots.size(); i++) {
                    inDoubt.put(tokens.get(i), connectionIds.get(slots.get(i)));
                }
            }
            throw e;
        }
        for (JobAssignment a : claimed) {
            send(byRobot.get(a.lease().robotId()), a, asked);
        }
        return new Claimed(claimed.size(), claimed.size() < slots.size());
    }

    /** @param asked when (System.nanoTime()) the claim that took the job was called */
    private void send(RobotConnection c, JobAssignment a, long asked) {
        c.assign(Assignments.jobAssign(c.nextServerId(), a));
        metrics.dispatched(RobotMetrics.Transport.WEBSOCKET, a.waited().toNanos() + (System.nanoTime() - asked));
        log.debug("job {} (attempt {}) assigned to robot {}", a.lease().jobId(), a.lease().attempt(), a.lease().robotId());
    }

    /**
     * Sends the jobs that failed claims leased after all (the statement committed, its answer was
     * lost with the connection), to robots still on the connection the claim was made for; their
     * leases are renewed first. Without this such a job would wait for its lease to expire and
     * run as a second attempt. A robot that reconnected meanwhile ended those leases when it
     * registered without them (the reaper re-queues the jobs).
     */
    private void deliverInDoubt() {
        if (inDoubt.isEmpty()) {
            return;
        }
        Set<String> open = connections.current().stream().map(c -> c.connectionId).collect(Collectors.toSet());
        Map<String, String> still = new HashMap<>();
        inDoubt.forEach((token, connectionId) -> {
            if (open.contains(connectionId)) {
                still.put(token, connectionId);
            }
        });
        long asked = System.nanoTime();
        List<JobAssignment> found = queue.deliverable(still.keySet(), settings.visibilityTimeoutSeconds());
        inDoubt.clear();
        for (JobAssignment a : found) {
            connections.ofRobot(a.lease().robotId())
                    .filter(c -> c.connectionId.equals(still.get(a.lease().token())))
                    .ifPresent(c -> {
                        log.info("job {} (attempt {}) was leased to robot {} by a claim whose answer was lost; sending it now",
                                a.lease().jobId(), a.lease().attempt(), a.lease().robotId());
                        send(c, a, asked);
                    });
        }
    }

    private void pushCancels(List<RobotConnection> current) {
        List<RobotConnection> registered = current.stream().filter(RobotConnection::isRegistered).toList();
        if (registered.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        for (StoppingJob s : queue.stopping(registered.stream().map(RobotConnection::robotId).toList())) {
            connections.ofRobot(s.robotId()).filter(RobotConnection::isRegistered).ifPresent(c -> {
                Instant sent = c.cancelsSent.get(s.jobId());
                if (sent == null || !now.isBefore(sent.plus(settings.cancelResend()))) {
                    c.cancelsSent.put(s.jobId(), now);
                    c.outbox.send(Assignments.jobCancel(c.nextServerId(), s, settings.cancelGraceSeconds()));
                }
            });
        }
    }

    /** How the dispatch loop fares; empty before {@link #start()}. */
    Optional<LoopStatus> status() {
        return Optional.ofNullable(rounds).map(BackgroundLoop::status);
    }

    @Override
    public void close() {
        if (rounds != null) {
            rounds.close();
        }
    }
}
