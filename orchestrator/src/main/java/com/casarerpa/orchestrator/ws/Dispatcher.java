package com.casarerpa.orchestrator.ws;

import com.casarerpa.orchestrator.service.DispatchSignal;
import com.casarerpa.orchestrator.store.DispatchQueries;
import com.casarerpa.orchestrator.store.JobClaims;
import com.casarerpa.orchestrator.store.JobPayloads;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes work to the robots connected to this instance: in each round, every robot that accepts
 * work and has free slots (its {@code max_concurrent_jobs} minus its live leases, by the
 * database) gets that many matching jobs claimed for it in one statement, each sent as
 * {@code job_assign}; and every job of a connected robot that is marked to stop gets
 * {@code job_cancel} (again every {@link ChannelSettings#cancelResend()} while unconfirmed).
 *
 * <p>A round runs when {@link #wake()} is called (a job was submitted, a slot freed up, a robot
 * registered) and otherwise every {@code poll}, which also catches jobs submitted on other
 * instances and cancels requested there. Rounds never overlap: one thread runs them.
 *
 * <p>Across instances, {@code app/JobWakeups} turns each PostgreSQL {@code NOTIFY casare_jobs}
 * into a {@link #wake()}; the poll remains the fallback while the listener reconnects.
 */
public final class Dispatcher implements DispatchSignal, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final Connections connections;
    private final DispatchQueries queries;
    private final JobClaims claims;
    private final JobPayloads payloads;
    private final ChannelSettings settings;
    private final Clock clock;
    private final Semaphore signal = new Semaphore(0);
    private final AtomicInteger rotation = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean lastFailed;

    Dispatcher(Connections connections, DispatchQueries queries, JobClaims claims, JobPayloads payloads,
            ChannelSettings settings, Clock clock) {
        this.connections = connections;
        this.queries = queries;
        this.claims = claims;
        this.payloads = payloads;
        this.settings = settings;
        this.clock = clock;
        this.thread = Thread.ofPlatform().daemon().name("casare-dispatcher").unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    /** Asks for a dispatch round now. Never blocks; a burst of calls makes one round. */
    @Override
    public void wake() {
        if (signal.availablePermits() == 0) {
            signal.release();
        }
    }

    private void loop() {
        while (running) {
            boolean woken;
            try {
                woken = signal.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
                signal.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                round(woken);
                if (lastFailed) {
                    log.info("dispatcher works again");
                    lastFailed = false;
                }
            } catch (RuntimeException e) {
                if (!lastFailed) {
                    log.warn("dispatch round failed (will retry): {}", e.getMessage(), e);
                }
                lastFailed = true;
            }
        }
    }

    /** One round: cancels first (they free slots), then assignments. */
    void round(boolean woken) {
        List<RobotConnection> current = connections.current();
        if (current.isEmpty()) {
            return;
        }
        pushCancels(current);
        Instant now = clock.instant();
        List<RobotConnection> ready = current.stream().filter(c -> c.acceptsWork(now)).toList();
        if (ready.isEmpty() || (!woken && !queries.anyRunnable())) {
            return;
        }
        Map<String, DispatchQueries.Load> loads = queries.loads(ready.stream().map(RobotConnection::robotId).toList());
        int start = Math.floorMod(rotation.getAndIncrement(), ready.size());
        for (int i = 0; i < ready.size(); i++) {
            RobotConnection c = ready.get((start + i) % ready.size());
            DispatchQueries.Load load = loads.get(c.robotId());
            if (load != null && !load.maintenance() && load.free() > 0) {
                int asked = Math.min(load.free(), c.offer().orElseThrow().slots());
                // A short claim may mean the queue ran dry: then the other robots need not ask.
                if (assign(c, asked) < asked && !queries.anyRunnable()) {
                    return;
                }
            }
        }
    }

    /** Claims up to {@code count} jobs for the robot and pushes them; returns how many it got. */
    private int assign(RobotConnection c, int count) {
        RobotConnection.Offer offer = c.offer().orElseThrow();
        List<JobClaims.Claim> claimed = claims.claim(new JobClaims.Claimer(offer.robotId(), offer.capabilities(),
                Optional.of(offer.environment()), count, settings.visibilityTimeoutSeconds(),
                offer.nodeTypes().map(java.util.Set::copyOf)).onConnection(c.connectionId));
        if (claimed.isEmpty()) {
            return 0;
        }
        Map<String, JobPayloads.Payload> byJob = payloads.of(claimed.stream().map(cl -> cl.job().id()).toList());
        for (JobClaims.Claim claim : claimed) {
            c.outbox.send(Assignments.jobAssign(c.nextServerId(), claim, byJob.get(claim.job().id())).toString());
            log.debug("job {} (attempt {}) assigned to robot {}", claim.job().id(), claim.lease().attempt(), offer.robotId());
        }
        return claimed.size();
    }

    private void pushCancels(List<RobotConnection> current) {
        List<RobotConnection> registered = current.stream().filter(RobotConnection::isRegistered).toList();
        if (registered.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        for (DispatchQueries.Stopping s : queries.stopping(registered.stream().map(RobotConnection::robotId).toList())) {
            connections.ofRobot(s.robotId()).filter(RobotConnection::isRegistered).ifPresent(c -> {
                Instant sent = c.cancelsSent.get(s.jobId());
                if (sent == null || !now.isBefore(sent.plus(settings.cancelResend()))) {
                    c.cancelsSent.put(s.jobId(), now);
                    c.outbox.send(Assignments.jobCancel(c.nextServerId(), s, settings.cancelGraceSeconds()).toString());
                }
            });
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
