package com.casarerpa.orchestrator.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What {@code check-db} measures: which server answers, and how fast. */
public final class DatabaseProbe {
    private final Database database;

    public DatabaseProbe(Database database) {
        this.database = database;
    }

    /** @param product e.g. {@code PostgreSQL}; @param version e.g. {@code 15.20 (Debian 15.20-0+deb12u1)} */
    public record ServerInfo(String product, String version) {}

    public ServerInfo serverInfo() {
        try (Connection c = database.connection()) {
            DatabaseMetaData meta = c.getMetaData();
            String version = meta.getDatabaseProductVersion();
            if (database.dialect() == Dialect.POSTGRESQL) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
                    rs.next();
                    version = rs.getString(1);
                }
            }
            return new ServerInfo(meta.getDatabaseProductName(), version);
        } catch (SQLException e) {
            throw new DatabaseAccessException("cannot read the server version: " + e.getMessage(), e);
        }
    }

    /**
     * Whether PostgreSQL's autovacuum runs (empty on H2, which needs none). Every finished job
     * leaves dead row versions in {@code jobs} and {@code job_attempts}; without autovacuum nothing
     * removes them and every queue statement reads more of them as time goes on (measured: 2,000
     * jobs/s with it, falling below 400 within a minute and a half without it; docs/performance.md).
     */
    public Optional<Boolean> autovacuum() {
        if (database.dialect() != Dialect.POSTGRESQL) {
            return Optional.empty();
        }
        try (Connection c = database.connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW autovacuum")) {
            rs.next();
            return Optional.of("on".equalsIgnoreCase(rs.getString(1)));
        } catch (SQLException e) {
            throw new DatabaseAccessException("cannot read the autovacuum setting: " + e.getMessage(), e);
        }
    }

    /** What to tell an operator whose PostgreSQL runs without autovacuum. */
    public static final String AUTOVACUUM_OFF = "autovacuum is off on this PostgreSQL server: finished jobs leave dead"
            + " rows that nothing removes, and the queue slows down as they pile up. Turn it on (ALTER SYSTEM SET"
            + " autovacuum = on; SELECT pg_reload_conf();) or VACUUM jobs, job_attempts and job_logs regularly";

    /**
     * The median time of {@code roundTrips} {@code SELECT 1} statements on one connection
     * (borrowed once, so pool overhead is not measured).
     */
    public Duration roundTripLatency(int roundTrips) {
        List<Long> nanos = new ArrayList<>();
        try (Connection c = database.connection(); Statement s = c.createStatement()) {
            for (int i = 0; i < roundTrips; i++) {
                long start = System.nanoTime();
                try (ResultSet rs = s.executeQuery("SELECT 1")) {
                    rs.next();
                }
                nanos.add(System.nanoTime() - start);
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("SELECT 1 failed: " + e.getMessage(), e);
        }
        nanos.sort(null);
        return Duration.ofNanos(nanos.get(nanos.size() / 2));
    }
}
