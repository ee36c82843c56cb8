package com.casarerpa.orchestrator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Initialises an empty database (the PostgreSQL extensions, then every migration) once, however
 * many instances or {@code init-db} commands start on it at the same moment.
 *
 * <p>Why a lock of its own: Flyway serialises migrations, but only one at a time, so an instance
 * that looked between two of another's migrations would see "pending migrations" and refuse to
 * start. On PostgreSQL every caller therefore takes one advisory lock (transaction-scoped, so it
 * also holds behind a transaction-pooling pgbouncer, and is released if the process dies) before
 * it looks, and keeps it until the schema is complete: the first finds the database empty and
 * initialises it, the others wait and then find it initialised. The lock is polled
 * ({@code pg_try_advisory_xact_lock}) so that the wait is bounded by {@link #LOCK_WAIT}, not by the
 * pool's socket timeout. The embedded database serves one process; there is nothing to wait for.
 *
 * <p>An existing schema is never upgraded here: pending migrations of a schema that is there are
 * for {@code migrate} or {@code start --migrate}.
 */
public final class FirstStart {
    /** Any constant that no other advisory lock of this database uses: "casare" in ASCII, then 1. */
    static final long LOCK_KEY = 0x6361_7361_7265_0001L;
    static final Duration LOCK_WAIT = Duration.ofMinutes(10);
    private static final long POLL_MILLIS = 200;

    /** What an initialisation did. */
    public record Initialised(List<PostgresExtensions.Outcome> extensions, List<AppliedMigration> applied) {}

    private FirstStart() {}

    /**
     * Initialises the schema when the database has none and says what it did; empty when the
     * database already had a schema (whether current or not).
     *
     * @throws DatabaseAccessException when the lock is not had within {@link #LOCK_WAIT}
     */
    public static Optional<Initialised> initialiseIfEmpty(Database database, Migrations migrations) {
        if (database.dialect() != Dialect.POSTGRESQL) {
            return initialise(database, migrations);
        }
        try (Connection lock = database.connection()) {
            lock.setAutoCommit(false);
            try {
                awaitLock(lock, database);
                return initialise(database, migrations);
            } finally {
                lock.rollback(); // ends the transaction, and the lock with it
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("first start: cannot take the initialisation lock: " + e.getMessage(), e);
        }
    }

    private static Optional<Initialised> initialise(Database database, Migrations migrations) {
        if (migrations.isInitialised()) {
            return Optional.empty();
        }
        List<PostgresExtensions.Outcome> extensions = database.dialect() == Dialect.POSTGRESQL
                ? new PostgresExtensions(database).ensure()
                : List.of();
        return Optional.of(new Initialised(extensions, migrations.migrate()));
    }

    private static void awaitLock(Connection c, Database database) throws SQLException {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            s.setLong(1, LOCK_KEY);
            while (true) {
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return;
                    }
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new DatabaseAccessException("first start: another instance has been initialising " + database.displayUrl()
                            + " for more than " + LOCK_WAIT.toMinutes() + " minutes; look at its log, then start again", null);
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DatabaseAccessException("first start: interrupted while waiting for another instance to initialise "
                            + database.displayUrl(), e);
                }
            }
        }
    }
}
