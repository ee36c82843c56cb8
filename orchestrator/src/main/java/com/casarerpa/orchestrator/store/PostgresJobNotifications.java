package com.casarerpa.orchestrator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-ups across instances on PostgreSQL: {@link #publish()} sends {@code NOTIFY casare_jobs},
 * {@link #publishRobots} {@code NOTIFY casare_robots} with robot ids (one per line) as its
 * payload; every instance's listener (one dedicated connection beside the pool, with the pool's
 * timeouts and the name {@code <pool>-listen}) runs {@code onJobs}, or {@code onRobots} with the
 * payloads, when one arrives. Bursts coalesce: a wake-up already pending is not sent again until
 * the listener took it, and robot ids published meanwhile go out together.
 *
 * <p>The listener is {@link #listen()}, one pass of a background loop that the caller runs (the
 * loop primitive lives above the store): each pass opens the connection if it has none and waits
 * up to a second for notifications. A pass that throws has dropped its connection; the next one
 * reconnects, and then runs both callbacks ({@code onRobots} with an empty payload: any robot),
 * since notifications sent meanwhile are lost. The
 * connection is checked every {@link #CHECK_EVERY}, so one that died silently (a half-open TCP
 * connection delivers no notifications and no error) is replaced too; polling remains the
 * fallback meanwhile.
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
    /** How long one {@link #listen()} pass waits for notifications. */
    private static final int WAIT_MILLIS = 1000;
    /** Characters of robot ids in one notification (PostgreSQL takes payloads under 8000 bytes; the ids are ASCII). */
    static final int ROBOTS_PAYLOAD_CHARS = 7000;

    private final Database database;
    private final DatabaseUrl listenUrl;
    private final Runnable onJobs;
    private final Consumer<List<String>> onRobots;
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean sendingRobots = new AtomicBoolean();
    private final Set<String> robotsToSend = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    private volatile Connection listening;
    /** True after a connection was lost or could not be made: the next one to listen looks at once. */
    private boolean missed;
    private long nextCheck;
    private volatile Consumer<String> onEvents = payload -> { };

    public PostgresJobNotifications(Database database, Runnable onJobs) {
        this(database, onJobs, payloads -> { });
    }

    public PostgresJobNotifications(Database database, Runnable onJobs, Consumer<List<String>> onRobots) {
        this(database, database.url(), onJobs, onRobots);
    }

    /**
     * @param listenUrl where the listening connection goes: the pool's URL, or behind a transaction
     *                  pooler {@code database.direct_url} (a LISTEN must stay on one session);
     *                  NOTIFY goes through the pool either way
     */
    public PostgresJobNotifications(Database database, DatabaseUrl listenUrl, Runnable onJobs,
            Consumer<List<String>> onRobots) {
        this.database = database;
        this.listenUrl = listenUrl;
        this.onJobs = onJobs;
        this.onRobots = onRobots;
    }

    /**
     * Tells every instance (this one included) that jobs may be claimable. Returns at once; while
     * one NOTIFY is on its way, further calls ride on it.
     */
    public void publish() {
        notify(CHANNEL, sending);
    }

    /**
     * Tells every instance (this one included) to check its connection of this robot now. Returns
     * at once; the ids published while one NOTIFY is on its way go out together after it.
     */
    public void publishRobots(String robotId) {
        robotsToSend.add(robotId);
        if (sendingRobots.compareAndSet(false, true)) {
            Thread.ofVirtual().start(() -> {
                sendingRobots.set(false);
                List<String> ids = new ArrayList<>(robotsToSend);
                robotsToSend.removeAll(ids);
                if (ids.isEmpty()) {
                    return;
                }
                sendPayloads(ROBOTS_CHANNEL, robotPayloads(ids), "instances will see the change at their next check");
            });
        }
    }

    /** The ids, one per line, in payloads of at most {@link #ROBOTS_PAYLOAD_CHARS} characters. */
    static List<String> robotPayloads(List<String> ids) {
        List<String> payloads = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        for (String id : ids) {
            if (!b.isEmpty() && b.length() + 1 + id.length() > ROBOTS_PAYLOAD_CHARS) {
                payloads.add(b.toString());
                b.setLength(0);
            }
            b.append(b.isEmpty() ? "" : "\n").append(id);
        }
        if (!b.isEmpty()) {
            payloads.add(b.toString());
        }
        return payloads;
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
        return sendPayloads(EVENTS_CHANNEL, List.of(payload), "these events do not reach the other instances");
    }

    /** {@code NOTIFY channel, payload} for each payload, on one pooled connection; false (logged, with what that means) when it failed. */
    private boolean sendPayloads(String channel, List<String> payloads, String whenFailed) {
        try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            for (String payload : payloads) {
                s.setString(1, channel);
                s.setString(2, payload);
                s.execute();
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            log.debug("NOTIFY {} failed ({}); {}", channel, e.getMessage(), whenFailed);
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

    /**
     * One pass of the listener: listens if it does not yet, then waits up to a second for
     * notifications and runs the callbacks they call for. Throws when the connection failed (it
     * is dropped; the next pass reconnects). Returns the wait before the next pass: none.
     */
    public Duration listen() throws SQLException {
        if (closing) {
            return Duration.ofSeconds(1);
        }
        try {
            Connection c = listening;
            if (c == null) {
                c = connect();
            }
            if (System.nanoTime() - nextCheck > 0) {
                if (!c.isValid((int) Math.max(1, database.poolSettings().connectionTimeout().toSeconds()))) {
                    throw new SQLException("the listening connection no longer answers");
                }
                nextCheck = System.nanoTime() + CHECK_EVERY.toNanos();
            }
            PGNotification[] got = c.unwrap(PGConnection.class).getNotifications(WAIT_MILLIS);
            if (got != null && got.length > 0) {
                if (Arrays.stream(got).anyMatch(n -> CHANNEL.equals(n.getName()))) {
                    onJobs.run();
                }
                List<String> robots = Arrays.stream(got).filter(n -> ROBOTS_CHANNEL.equals(n.getName()))
                        .map(PGNotification::getParameter).toList();
                if (!robots.isEmpty()) {
                    onRobots.accept(robots);
                }
                Arrays.stream(got).filter(n -> EVENTS_CHANNEL.equals(n.getName())).forEach(n -> onEvents.accept(n.getParameter()));
            }
            return Duration.ZERO;
        } catch (Throwable e) {
            // Anything, an Error of a callback included: the connection is given up and the next pass reconnects.
            drop();
            missed = true;
            if (closing) {
                return Duration.ofSeconds(1);
            }
            throw e;
        }
    }

    private Connection connect() throws SQLException {
        Connection c = Database.connectDirectly(listenUrl, database.poolSettings().forListening());
        listening = c;
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + CHANNEL);
            s.execute("LISTEN " + ROBOTS_CHANNEL);
            s.execute("LISTEN " + EVENTS_CHANNEL);
        }
        nextCheck = System.nanoTime() + CHECK_EVERY.toNanos();
        if (missed) {
            // Notifications sent while this instance was not listening are lost: look now.
            missed = false;
            onJobs.run();
            onRobots.accept(List.of(""));
        }
        return c;
    }

    private void drop() {
        Connection c = listening;
        listening = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // given up anyway
            }
        }
    }

    /** Stops listening: a pass under way ends (its connection is closed) and later passes do nothing. */
    @Override
    public void close() {
        closing = true;
        drop();
    }
}
