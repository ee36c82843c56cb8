package com.casarerpa.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The PostgreSQL server the benchmark uses ({@code CASARE_BENCH_PG_*}, default the local one as
 * user postgres). It only ever creates and drops databases whose names start with
 * {@code casare_bench}, so other databases on the same server are never touched.
 */
record PostgresTarget(String host, int port, String user, Optional<String> password) {

    static PostgresTarget fromEnvironment() {
        Map<String, String> env = System.getenv();
        return new PostgresTarget(env.getOrDefault("CASARE_BENCH_PG_HOST", "127.0.0.1"),
                Integer.parseInt(env.getOrDefault("CASARE_BENCH_PG_PORT", "5432")),
                env.getOrDefault("CASARE_BENCH_PG_USER", "postgres"),
                Optional.ofNullable(env.get("CASARE_BENCH_PG_PASSWORD")).filter(p -> !p.isEmpty()));
    }

    /** The database the run makes: {@code CASARE_BENCH_PG_DATABASE}, default {@code casare_bench}. */
    static String databaseName() {
        String name = System.getenv().getOrDefault("CASARE_BENCH_PG_DATABASE", "casare_bench");
        requireOurs(name);
        return name;
    }

    /** The URL form the orchestrator's {@code DATABASE_URL} accepts. */
    String databaseUrl(String database) {
        return "postgresql://" + user + password.map(p -> ":" + java.net.URLEncoder.encode(p, java.nio.charset.StandardCharsets.UTF_8)).orElse("")
                + "@" + host + ":" + port + "/" + database;
    }

    /** Drops {@code database} if it exists (closing its connections) and creates it empty. */
    void recreate(String database) {
        requireOurs(database);
        execute("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)", "CREATE DATABASE " + database);
    }

    /**
     * {@link #recreate}, with the drop on the {@link Undo} list: however the run ends (Ctrl-C,
     * SIGTERM, an exception), the database goes; closing the step drops it now.
     */
    Undo.Step fresh(String database) {
        Undo.Step drop = Undo.push("the database " + database, () -> drop(database));
        recreate(database);
        return drop;
    }

    void drop(String database) {
        requireOurs(database);
        execute("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    void execute(String database, String... statements) {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Server version and the settings that decide how fast a commit is. */
    Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            for (String setting : new String[] {"server_version", "synchronous_commit", "fsync", "wal_sync_method",
                    "shared_buffers", "max_connections", "autovacuum", "autovacuum_naptime"}) {
                try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
                    rs.next();
                    facts.put(setting, rs.getString(1));
                }
            }
        } catch (SQLException e) {
            facts.put("error", e.getMessage());
        }
        return facts;
    }

    /**
     * Transactions committed in {@code database} so far, by PostgreSQL's cumulative statistics
     * ({@code pg_stat_database.xact_commit}); backends report them about once a second, so a
     * difference over a window of many seconds is accurate to about a second's worth.
     */
    long commits(String database) {
        try (Connection c = connect("postgres");
                var s = c.prepareStatement("SELECT xact_commit FROM pg_stat_database WHERE datname = ?")) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        } catch (SQLException e) {
            return -1;
        }
    }

    /** The process ids of the backends connected to {@code database} now (empty when it cannot tell). */
    java.util.List<Long> backends(String database) {
        java.util.List<Long> pids = new java.util.ArrayList<>();
        try (Connection c = connect("postgres");
                var s = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            // none known: the figure is reported as not measured
        }
        return pids;
    }

    /** A connection to one of the benchmark's databases; the caller closes it. */
    Connection open(String database) throws SQLException {
        requireOurs(database);
        return connect(database);
    }

    Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        password.ifPresent(pw -> p.setProperty("password", pw));
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, p);
    }

    private static void requireOurs(String database) {
        if (!database.matches("casare_bench[a-z0-9_]*")) {
            throw new IllegalArgumentException("refusing to touch database " + database + ": not one of the benchmark's");
        }
    }
}
