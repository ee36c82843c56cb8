package com.casarerpa.orchestrator.app;

import com.casarerpa.orchestrator.service.JobSignals;
import com.casarerpa.orchestrator.service.RobotSignals;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.Dialect;
import com.casarerpa.orchestrator.store.PostgresJobNotifications;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Carries "jobs are claimable" to whoever dispatches, and "robot connections changed owner" to
 * whoever holds connections: listeners in this process at once, and on
 * PostgreSQL every instance through {@code NOTIFY} (each instance's listener then wakes its own
 * listeners). The embedded database serves one process, so there in-process is all there is.
 */
final class JobWakeups implements JobSignals, RobotSignals, AutoCloseable {
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> robotListeners = new CopyOnWriteArrayList<>();
    private final Optional<PostgresJobNotifications> postgres;

    JobWakeups(Database database) {
        this.postgres = database.dialect() == Dialect.POSTGRESQL
                ? Optional.of(new PostgresJobNotifications(database, this::wakeHere, this::robotsChangedHere))
                : Optional.empty();
    }

    /** {@code listener} runs (on some thread) each time jobs may be claimable; keep it short. */
    void onJobs(Runnable listener) {
        listeners.add(listener);
    }

    /** {@code listener} runs (on some thread) each time robot connections may have changed owner; keep it short. */
    void onRobots(Runnable listener) {
        robotListeners.add(listener);
    }

    @Override
    public void robotsChanged() {
        robotsChangedHere();
        postgres.ifPresent(PostgresJobNotifications::publishRobots);
    }

    private void robotsChangedHere() {
        robotListeners.forEach(Runnable::run);
    }

    @Override
    public void jobsAvailable() {
        wakeHere();
        postgres.ifPresent(PostgresJobNotifications::publish);
    }

    private void wakeHere() {
        listeners.forEach(Runnable::run);
    }

    @Override
    public void close() {
        postgres.ifPresent(PostgresJobNotifications::close);
    }
}
