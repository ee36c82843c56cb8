package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.config.OrchestratorSettings;
import java.time.Duration;

/**
 * How a {@link Database} pools its connections.
 *
 * <p>The specification speaks SQLAlchemy: {@code pool_size} connections are kept open and up to
 * {@code max_overflow} more are opened under load. HikariCP says the same with
 * {@code minimumIdle = pool_size} and {@code maximumPoolSize = pool_size + max_overflow}; idle
 * connections above {@code minimumIdle} are closed after Hikari's idle timeout, as SQLAlchemy
 * closes overflow connections when they are returned.
 *
 * @param name              pool name, shown in Hikari's log lines and in timeout errors
 * @param minimumIdle       connections kept open when idle
 * @param maximumPoolSize   connections open at most
 * @param connectionTimeout how long {@code getConnection()} waits for a connection (and a new
 *                          PostgreSQL connection may take to be established)
 * @param socketTimeout     PostgreSQL read timeout; guards against half-open TCP connections after
 *                          a network failure. Zero means none (for migrations, which may run long)
 */
public record PoolSettings(String name, int minimumIdle, int maximumPoolSize, Duration connectionTimeout,
        Duration socketTimeout) {

    public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    public PoolSettings {
        if (minimumIdle < 0 || maximumPoolSize < 1 || minimumIdle > maximumPoolSize) {
            throw new IllegalArgumentException("pool sizes: need 0 <= minimumIdle (" + minimumIdle
                    + ") <= maximumPoolSize (" + maximumPoolSize + ") and maximumPoolSize >= 1");
        }
    }

    /** The server's pool, from {@code database.pool_size} and {@code database.max_overflow}. */
    public static PoolSettings forServer(OrchestratorSettings.Database database) {
        return new PoolSettings("casare-orchestrator", database.poolSize(),
                database.poolSize() + database.maxOverflow(), CONNECTION_TIMEOUT, Duration.ofSeconds(60));
    }

    /**
     * The one connection an instance keeps for {@code LISTEN}, beside its pool: the pool's
     * timeouts (a read that hangs past the socket timeout ends the connection, so a dead one is
     * replaced) and its own name, {@code <pool>-listen}, so it can be told apart in
     * {@code pg_stat_activity}.
     */
    public PoolSettings forListening() {
        return new PoolSettings(name + "-listen", 1, 1, connectionTimeout, socketTimeout);
    }

    /**
     * A CLI command's pool: one connection kept (so the embedded database is opened once per
     * command), three at most (Flyway uses two on PostgreSQL, and {@link FirstStart} holds a third
     * for its lock meanwhile), no read timeout so that a long migration is not cut off.
     */
    public static PoolSettings forCommand() {
        return new PoolSettings("casare-cli", 1, 3, CONNECTION_TIMEOUT, Duration.ZERO);
    }

    /**
     * The server's sessions beside a transaction pooler ({@code database.direct_url}): the
     * first-start lock, migrations and {@code /ready}'s schema check, three connections at most
     * (as {@link #forCommand()}), none kept when idle, no read timeout for a long migration.
     */
    public static PoolSettings forSessions() {
        return new PoolSettings("casare-orchestrator-direct", 0, 3, CONNECTION_TIMEOUT, Duration.ZERO);
    }
}
