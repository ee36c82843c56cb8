package com.casarerpa.orchestrator.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
