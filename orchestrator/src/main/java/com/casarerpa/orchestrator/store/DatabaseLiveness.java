package com.casarerpa.orchestrator.store;

import java.sql.Connection;
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
 * Answers "does the database answer now?" within a bound, for /health and /ready. A database
 * that hangs (network gone, not refused) must not hang the health check, so the check runs on a
 * virtual thread and is abandoned after the timeout; the pool's own connection timeout ends it.
 */
public final class DatabaseLiveness implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DatabaseLiveness.class);

    private final DataSource dataSource;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean lastUp = true;

    public DatabaseLiveness(DataSource dataSource, Duration timeout) {
        this.dataSource = dataSource;
        this.timeout = timeout;
    }

    /** True when a connection could be had and validated within the timeout. Never throws. */
    public boolean isUp() {
        Future<Boolean> check = executor.submit(this::validate);
        boolean up;
        try {
            up = check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            check.cancel(true);
            up = false;
        } catch (ExecutionException e) {
            up = false;
            if (lastUp) {
                log.warn("database check failed: {}", e.getCause() == null ? e : e.getCause().getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            up = false;
        }
        if (up != lastUp) {
            if (up) {
                log.info("database is reachable again");
            } else {
                log.warn("database is unreachable");
            }
            lastUp = up;
        }
        return up;
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
