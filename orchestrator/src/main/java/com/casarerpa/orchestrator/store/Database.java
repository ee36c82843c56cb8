package com.casarerpa.orchestrator.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open connection pool to the orchestrator's database (HikariCP).
 *
 * <p>Contract: {@link #open} returns only after one connection has been made, so a wrong URL,
 * refused credentials or a missing database fail there, as a {@link DatabaseUnavailableException}
 * with a one-line reason. After that the pool heals by itself: when the database goes away,
 * {@link #connection()} fails after {@link PoolSettings#connectionTimeout()} and works again once
 * the database is back; nothing needs to reopen the pool. {@link #close()} closes every
 * connection; the embedded H2 database closes with its last connection.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final DatabaseUrl url;
    private final PoolSettings pool;
    private final HikariDataSource dataSource;
    private final PoolTimeouts timeouts;

    private Database(DatabaseUrl url, PoolSettings pool, HikariDataSource dataSource) {
        this.url = url;
        this.pool = pool;
        this.dataSource = dataSource;
        this.timeouts = new PoolTimeouts(pool.name(), pool.connectionTimeout(), System::nanoTime);
    }

    /**
     * Opens the pool and makes its first connection. For the embedded database, creates the data
     * directory when it is missing, owner-only, and logs in with the password kept there
     * ({@link EmbeddedDatabase}).
     *
     * @throws DatabaseUnavailableException when no connection can be made (reason and advice in it)
     */
    public static Database open(DatabaseUrl configured, PoolSettings pool) {
        DatabaseUrl url = configured.isEmbedded() ? EmbeddedDatabase.prepare(configured) : configured;
        // The first connection is made here, not by Hikari: a failure then becomes one clear
        // line instead of Hikari's ERROR log with a stack trace. It stays open while the pool
        // starts, so the embedded database is not opened twice.
        try (Connection first = url.isEmbedded() ? EmbeddedDatabase.connect(url, pool) : connectDirectly(url, pool)) {
            HikariConfig config = new HikariConfig();
            config.setPoolName(pool.name());
            config.setJdbcUrl(url.jdbcUrl());
            url.user().ifPresent(config::setUsername);
            url.password().ifPresent(p -> config.setPassword(p.reveal()));
            config.setDataSourceProperties(driverDefaults(url, pool));
            config.setMinimumIdle(pool.minimumIdle());
            config.setMaximumPoolSize(pool.maximumPoolSize());
            config.setConnectionTimeout(pool.connectionTimeout().toMillis());
            // One attempt at start-up; later outages are Hikari's to ride out.
            config.setInitializationFailTimeout(1);
            HikariDataSource dataSource = new HikariDataSource(config);
            log.debug("opened pool {} on {} (minimumIdle {}, maximumPoolSize {})", pool.name(), url.display(),
                    pool.minimumIdle(), pool.maximumPoolSize());
            return new Database(url, pool, dataSource);
        } catch (SQLException | RuntimeException e) {
            if (e instanceof DatabaseUnavailableException unavailable) {
                throw unavailable;
            }
            throw ConnectionFailures.classify(e, url, pool.connectionTimeout());
        }
    }

    /**
     * One connection straight from the driver, without a pool, with the same timeouts as
     * {@link #open}; the caller closes it.
     *
     * @throws DatabaseUnavailableException when it cannot be made (reason and advice in it)
     */
    public static Connection connectDirectly(DatabaseUrl url, PoolSettings settings) {
        if (url.dialect() == Dialect.H2) {
            LoopbackAutoServer.request();
        }
        Properties props = driverDefaults(url, settings);
        url.user().ifPresent(u -> props.setProperty("user", u));
        url.password().ifPresent(p -> props.setProperty("password", p.reveal()));
        try {
            Driver driver = DriverManager.getDriver(url.jdbcUrl());
            Connection c = driver.connect(url.jdbcUrl(), props);
            if (c == null) {
                throw new SQLException("no JDBC driver accepts this URL");
            }
            return c;
        } catch (SQLException e) {
            throw ConnectionFailures.classify(e, url, settings.connectionTimeout());
        }
    }

    /**
     * Driver settings we choose; for PostgreSQL, parameters written in the URL win (pgjdbc reads it
     * last). Neither driver writes the values of a failed statement into a message or a file.
     */
    private static Properties driverDefaults(DatabaseUrl url, PoolSettings pool) {
        Properties props = new Properties();
        if (url.dialect() == Dialect.POSTGRESQL) {
            props.setProperty("connectTimeout", String.valueOf(Math.max(1, pool.connectionTimeout().toSeconds())));
            props.setProperty("loginTimeout", String.valueOf(Math.max(1, pool.connectionTimeout().toSeconds())));
            props.setProperty("socketTimeout", String.valueOf(pool.socketTimeout().toSeconds()));
            props.setProperty("tcpKeepAlive", "true");
            props.setProperty("ApplicationName", pool.name());
            // The server's Detail line quotes row values ("Key (name)=(…) already exists"); keep it out of
            // exception messages and the driver's log (see RedactedSqlException).
            props.setProperty("logServerErrorDetail", "false");
        } else if (!url.jdbcUrl().toUpperCase(Locale.ROOT).contains(";TRACE_LEVEL_FILE=")) {
            // H2's trace file (<name>.trace.db) records failed statements with their values (a value
            // too long, quoted); our own log has every failure without them. A URL that sets it wins
            // (H2 refuses a setting given twice with two values).
            props.setProperty("TRACE_LEVEL_FILE", "0");
        }
        return props;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Dialect dialect() {
        return url.dialect();
    }

    public DatabaseUrl url() {
        return url;
    }

    /** The URL with the password masked, for logs and output. */
    public String displayUrl() {
        return url.display();
    }

    public PoolSettings poolSettings() {
        return pool;
    }

    /**
     * Borrows a connection; the caller closes it.
     *
     * @throws DatabaseUnavailableException when none is available within the connection timeout
     */
    public Connection connection() {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Wraps a failure to get a connection, with the reason and the pool's counters. A timeout with
     * no failed connection attempt behind it is the pool's exhaustion, not the database's absence:
     * {@link DatabaseUnavailableException.Reason#POOL_EXHAUSTED}, logged by {@link PoolTimeouts}.
     */
    DatabaseUnavailableException unavailable(SQLException e) {
        var mx = dataSource.getHikariPoolMXBean();
        PoolTimeouts.Counters c = mx == null ? null : new PoolTimeouts.Counters(mx.getActiveConnections(),
                mx.getIdleConnections(), mx.getThreadsAwaitingConnection(), pool.maximumPoolSize());
        String counters = c == null ? "" : " (pool " + pool.name() + ": total " + mx.getTotalConnections() + ", active "
                + c.active() + ", idle " + c.idle() + ", waiting " + c.waiting() + ", max " + c.max() + ")";
        if (exhausted(e)) {
            if (c != null) {
                timeouts.timedOut(c);
            }
            return new DatabaseUnavailableException(DatabaseUnavailableException.Reason.POOL_EXHAUSTED,
                    "no connection of the pool was free within " + pool.connectionTimeout().toMillis() + " ms" + counters, e);
        }
        DatabaseUnavailableException classified = ConnectionFailures.classify(e, url, pool.connectionTimeout());
        return new DatabaseUnavailableException(classified.reason(), classified.getMessage() + counters, e);
    }

    /**
     * HikariCP's connection timeout ({@link SQLTransientConnectionException}) carries the last
     * failed connection attempt as its cause when the database refused or could not be reached;
     * without one, every connection was simply busy.
     */
    private static boolean exhausted(SQLException e) {
        return e instanceof SQLTransientConnectionException && e.getCause() == null && e.getNextException() == null;
    }

    Duration connectionTimeout() {
        return pool.connectionTimeout();
    }

    @Override
    public void close() {
        dataSource.close();
        // H2 may have created files since the start (its trace file, on errors)
        url.embeddedDataDir().ifPresent(DataDirectory::narrowNewFiles);
    }

    @Override
    public String toString() {
        return "Database[" + url.display() + "]";
    }
}
