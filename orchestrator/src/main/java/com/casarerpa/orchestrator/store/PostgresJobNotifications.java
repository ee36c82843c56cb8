package com.casarerpa.orchestrator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-ups across instances on PostgreSQL: {@link #publish()} sends {@code NOTIFY casare_jobs},
 * {@link #publishRobots()} {@code NOTIFY casare_robots}; every instance's listener (one
 * dedicated connection beside the pool, with the pool's timeouts and the name
 * {@code <pool>-listen}) runs {@code onJobs} or {@code onRobots} when one arrives. Bursts
 * coalesce: a wake-up already pending is not sent again until the listener took it. The listener
 * reconnects by itself when the database goes away, and checks its connection every
 * {@link #CHECK_EVERY} so a connection that died silently (a half-open TCP connection delivers
 * no notifications and no error) is replaced too; polling remains the fallback meanwhile.
 *
 * <p>A third channel, {@code casare_events}, carries change events ({@link #sendEvents}, received
 * by {@link #onEvents}); they are not coalesced here (the relay batches them), and those sent
 * while an instance is not listening are lost to it.
 */
public final class PostgresJobNotifications implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresJobNotifications.class);
    static final String CHANNEL = "casare_jobs";
    static final String ROBOTS_CHANNEL = "casare_robots";
    static final String EVENTS_CHANNEL = "casare_events";
    static final Duration CHECK_EVERY = Duration.ofSeconds(10);

    private final Database database;
    private final Runnable onJobs;
    private final Runnable onRobots;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean sendingRobots = new AtomicBoolean();
    private final Thread listener;
    private volatile Connection listening;
    private volatile Consumer<String> onEvents = payload -> { };

    public PostgresJobNotifications(Database database, Runnable onJobs) {
        this(database, onJobs, () -> { });
    }

    public PostgresJobNotifications(Database database, Runnable onJobs, Runnable onRobots) {
        this.database = database;
        this.onJobs = onJobs;
        this.onRobots = onRobots;
        this.listener = Thread.ofPlatform().daemon().name("casare-job-notifications").start(this::listen);
    }

    /**
     * Tells every instance (this one included) that jobs may be claimable. Returns at once; while
     * one NOTIFY is on its way, further calls ride on it.
     */
    public void publish() {
        notify(CHANNEL, sending);
    }

    /** Tells every instance (this one included) to check its robot connections now. Coalesced like {@link #publish()}. */
    public void publishRobots() {
        notify(ROBOTS_CHANNEL, sendingRobots);
    }

    /** {@code receiver} gets the payload of each {@code casare_events} notification, on the listener's thread: keep it short. */
    public void onEvents(Consumer<String> receiver) {
        onEvents = receiver;
    }

    /**
     * Sends one events payload (under 8000 bytes) to every instance, this one included, and waits
     * for it. False when it could not be sent (the database is unavailable).
     */
    public boolean sendEvents(String payload) {
        try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            s.setString(1, EVENTS_CHANNEL);
            s.setString(2, payload);
            s.execute();
            return true;
        } catch (SQLException | RuntimeException e) {
            log.debug("NOTIFY {} failed ({}); these events do not reach the other instances", EVENTS_CHANNEL, e.getMessage());
            return false;
        }
    }

    private void notify(String channel, AtomicBoolean inFlight) {
        if (inFlight.compareAndSet(false, true)) {
            Thread.ofVirtual().start(() -> {
                inFlight.set(false);
                try (Connection c = database.connection(); Statement s = c.createStatement()) {
                    s.execute("NOTIFY " + channel);
                } catch (SQLException | RuntimeException e) {
                    log.debug("NOTIFY {} failed ({}); instances will see the change at their next poll", channel, e.getMessage());
                }
            });
        }
    }

    private void listen() {
        Duration backoff = Duration.ofMillis(500);
        boolean reconnecting = false;
        while (running.get()) {
            try (Connection c = Database.connectDirectly(database.url(), database.poolSettings().forListening())) {
                listening = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                    s.execute("LISTEN " + ROBOTS_CHANNEL);
                    s.execute("LISTEN " + EVENTS_CHANNEL);
                }
                if (reconnecting) {
                    // Notifications sent while this instance was not listening are lost: look now.
                    onJobs.run();
                    onRobots.run();
                }
                backoff = Duration.ofMillis(500);
                PGConnection pg = c.unwrap(PGConnection.class);
                long nextCheck = System.nanoTime() + CHECK_EVERY.toNanos();
                while (running.get()) {
                    if (System.nanoTime() - nextCheck > 0) {
                        if (!c.isValid((int) Math.max(1, database.poolSettings().connectionTimeout().toSeconds()))) {
                            throw new SQLException("the listening connection no longer answers");
                        }
                        nextCheck = System.nanoTime() + CHECK_EVERY.toNanos();
                    }
                    PGNotification[] got = pg.getNotifications(1000);
                    if (got != null && got.length > 0) {
                        if (Arrays.stream(got).anyMatch(n -> CHANNEL.equals(n.getName()))) {
                            onJobs.run();
                        }
                        if (Arrays.stream(got).anyMatch(n -> ROBOTS_CHANNEL.equals(n.getName()))) {
                            onRobots.run();
                        }
                        Arrays.stream(got).filter(n -> EVENTS_CHANNEL.equals(n.getName()))
                                .forEach(n -> onEvents.accept(n.getParameter()));
                    }
                }
            } catch (Throwable e) {
                // Anything, an Error of a listener included: the listener reconnects rather than end for good.
                if (!running.get()) {
                    return;
                }
                reconnecting = true;
                log.debug("job notifications unavailable ({}); retrying in {} ms", e.getMessage(), backoff.toMillis());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : backoff.multipliedBy(2);
            } finally {
                listening = null;
            }
        }
    }

    @Override
    public void close() {
        running.set(false);
        Connection c = listening;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        listener.interrupt();
        try {
            listener.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
