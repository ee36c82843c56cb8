package com.casarerpa.orchestrator.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "does the database answer now?" and "does it take writes now?" within a bound, for
 * /health and /ready. A database that hangs (network gone, not refused) must not hang the health
 * check, so each check runs on a virtual thread and is abandoned after the timeout; the pool's own
 * connection timeout ends it, and the write probe's statements are cancelled by their own
 * timeout.
 */
public final class DatabaseLiveness implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DatabaseLiveness.class);

    private final DataSource dataSource;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean lastUp = true;
    private volatile boolean lastWritable = true;

    public DatabaseLiveness(DataSource dataSource, Duration timeout) {
        this.dataSource = dataSource;
        this.timeout = timeout;
    }

    /** True when a connection could be had and validated within the timeout. Never throws. */
    public boolean isUp() {
        boolean up = within(this::validate, lastUp, "database check");
        lastUp = logChange(lastUp, up, "database is reachable again", "database is unreachable");
        return up;
    }

    /**
     * True when the tables robots and jobs are written to take writes within the timeout (see
     * {@link WriteProbe}); false while a lock or a stalled server holds them. Writes nothing.
     * Never throws.
     */
    public boolean acceptsWrites() {
        boolean writable = within(this::probeWrites, lastWritable, "database write check");
        lastWritable = logChange(lastWritable, writable, "database takes writes in time again",
                "database does not take writes within " + timeout.toMillis() + " ms (a lock or a stalled server)");
        return writable;
    }

    /** Logs a change of a check's answer once (not every check); returns the answer. */
    private static boolean logChange(boolean was, boolean now, String fine, String failing) {
        if (now && !was) {
            log.info("{}", fine);
        } else if (!now && was) {
            log.warn("{}", failing);
        }
        return now;
    }

    private boolean within(Callable<Boolean> probe, boolean wasFine, String what) {
        Future<Boolean> check = executor.submit(probe);
        try {
            return check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            check.cancel(true);
            return false;
        } catch (ExecutionException e) {
            if (wasFine) {
                log.warn("{} failed: {}", what, e.getCause() == null ? e : e.getCause().getMessage());
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean probeWrites() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
                for (String sql : WriteProbe.STATEMENTS) {
                    s.executeUpdate(sql);
                }
                return true;
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private boolean validate() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid((int) Math.max(1, timeout.toSeconds()));
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
