package com.casarerpa.orchestrator.app;

import com.casarerpa.orchestrator.scheduler.BackgroundLoop;
import com.casarerpa.orchestrator.events.ChangeEvents;
import com.casarerpa.orchestrator.events.EventRelay;
import com.casarerpa.orchestrator.service.ChangedRobots;
import com.casarerpa.orchestrator.service.JobSignals;
import com.casarerpa.orchestrator.service.LoopStatus;
import com.casarerpa.orchestrator.service.RobotSignals;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Dialect;
import com.casarerpa.orchestrator.store.PostgresJobNotifications;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries "jobs are claimable" to whoever dispatches, and "robot connections changed owner" to
 * whoever holds connections: listeners in this process at once, and on
 * PostgreSQL every instance through {@code NOTIFY} (each instance's listener then wakes its own
 * listeners). The embedded database serves one process, so there in-process is all there is.
 * A listener that throws is logged; the others still run, and the caller (a request whose change
 * already committed, or the NOTIFY listener's loop) carries on.
 *
 * <p>The listener runs as the {@code job-notifications} {@link BackgroundLoop}: a lost
 * connection is retried after 0.5 s, doubling up to 10 s. It never makes the instance unready:
 * while it is down, the dispatcher's poll (250 ms) and the robot channel's check (1 s) find what
 * the notifications would have announced.
 */
final class JobWakeups implements JobSignals, RobotSignals, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobWakeups.class);

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ChangedRobots>> robotListeners = new CopyOnWriteArrayList<>();
    private final Optional<PostgresJobNotifications> postgres;
    private final Optional<BackgroundLoop> listener;

    JobWakeups(Database database) {
        this(database, database.url());
    }

    /** @param listenUrl where the LISTEN connection goes (a session: behind a transaction pooler, database.direct_url) */
    JobWakeups(Database database, DatabaseUrl listenUrl) {
        this.postgres = database.dialect() == Dialect.POSTGRESQL
                ? Optional.of(new PostgresJobNotifications(database, listenUrl, this::wakeHere,
                        payloads -> robotsChangedHere(fromPayloads(payloads))))
                : Optional.empty();
        this.listener = postgres.map(p -> BackgroundLoop.named("job-notifications").every(Duration.ofMillis(500))
                .retryingUpTo(Duration.ofSeconds(10)).start(woken -> p.listen()));
        listener.ifPresent(BackgroundLoop::wake);
    }

    /** How the NOTIFY listener fares (none on the embedded database). */
    List<LoopStatus> loops() {
        return listener.map(l -> List.of(l.status())).orElse(List.of());
    }

    /** {@code listener} runs (on some thread) each time jobs may be claimable; keep it short. */
    void onJobs(Runnable listener) {
        listeners.add(listener);
    }

    /** {@code listener} runs (on some thread) each time robot connections may have changed owner, with which; keep it short. */
    void onRobots(Consumer<ChangedRobots> listener) {
        robotListeners.add(listener);
    }

    /**
     * On PostgreSQL, carries the change events of {@code events} to the other instances and
     * theirs to it (close the relay before this); the embedded database has no other instances.
     */
    Optional<EventRelay> relay(ChangeEvents events) {
        return postgres.map(pg -> {
            EventRelay relay = new EventRelay(events, pg::sendEvents);
            pg.onEvents(relay::received);
            return relay;
        });
    }

    @Override
    public void robotsChanged(String robotId) {
        robotsChangedHere(ChangedRobots.of(Set.of(robotId)));
        postgres.ifPresent(p -> p.publishRobots(robotId));
    }

    private void robotsChangedHere(ChangedRobots changed) {
        for (Consumer<ChangedRobots> listener : robotListeners) {
            try {
                listener.accept(changed);
            } catch (Throwable t) {
                log.error("a robot-change listener failed: {}", t.toString(), t);
            }
        }
    }

    /** The robots named by {@code casare_robots} payloads (ids one per line); an empty payload names any robot. */
    static ChangedRobots fromPayloads(List<String> payloads) {
        Set<String> ids = new HashSet<>();
        for (String payload : payloads) {
            if (payload == null || payload.isBlank()) {
                return ChangedRobots.ANY;
            }
            for (String id : payload.split("\n")) {
                if (!id.isBlank()) {
                    ids.add(id);
                }
            }
        }
        return ChangedRobots.of(ids);
    }

    @Override
    public void jobsAvailable() {
        wakeHere();
        postgres.ifPresent(PostgresJobNotifications::publish);
    }

    private void wakeHere() {
        runEach(listeners);
    }

    private static void runEach(List<Runnable> listeners) {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (Throwable t) {
                log.error("a wake-up listener failed: {}", t.toString(), t);
            }
        }
    }

    @Override
    public void close() {
        // The connection first, so a pass waiting on it ends at once; then the loop.
        postgres.ifPresent(PostgresJobNotifications::close);
        listener.ifPresent(BackgroundLoop::close);
    }
}
