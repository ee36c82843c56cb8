package com.casarerpa.orchestrator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of a test's own, made with Debian's postgresql-common
 * ({@code pg_createcluster}, as root) on a free port, trust authentication on 127.0.0.1, and
 * {@code max_connections} as asked: for the tests that need more connections than the shared test
 * server has to spare (three instances with the default pool hold up to 90), or that stop and start
 * the server. The machine's main cluster is never touched. {@link #close()} drops the cluster
 * ({@code pg_dropcluster --stop}); a shutdown hook does too if the test JVM ends first.
 */
public final class OwnPostgresCluster implements AutoCloseable {
    /** The PostgreSQL major version whose cluster is made (CASARE_TEST_PG_VERSION, 15). */
    static final String VERSION = System.getenv().getOrDefault("CASARE_TEST_PG_VERSION", "15");

    private final String name;
    private final int port;
    private final Thread dropAtExit;
    private boolean dropped;

    private OwnPostgresCluster(String name, int port) {
        this.name = name;
        this.port = port;
        this.dropAtExit = new Thread(this::drop, "drop-cluster-" + name);
        Runtime.getRuntime().addShutdownHook(dropAtExit);
    }

    /** Makes and starts a cluster that accepts {@code maxConnections} connections. */
    public static OwnPostgresCluster create(int maxConnections) {
        String name = "casare_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
        int port = freePort();
        run("pg_createcluster", VERSION, name, "-p", String.valueOf(port), "-o", "max_connections=" + maxConnections,
                "--start", "--", "--auth-host=trust", "--auth-local=trust");
        return new OwnPostgresCluster(name, port);
    }

    public int port() {
        return port;
    }

    /** Creates an empty database and returns its name. */
    public String createDatabase() {
        String db = "casare_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        } catch (SQLException e) {
            throw new IllegalStateException("cluster " + name + ": " + e.getMessage(), e);
        }
        return db;
    }

    /** {@code postgresql://postgres@127.0.0.1:PORT/DB}, the DATABASE_URL form. */
    public String url(String database) {
        return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres");
    }

    /** Stops the server ({@code pg_ctlcluster stop}, mode fast: sessions are ended, nothing committed is lost). */
    public void stop() {
        run("pg_ctlcluster", "--skip-systemctl-redirect", VERSION, name, "stop", "-m", "fast");
    }

    /** Starts it again, on the same port; returns once it accepts connections. */
    public void start() {
        run("pg_ctlcluster", "--skip-systemctl-redirect", VERSION, name, "start");
    }

    @Override
    public void close() {
        drop();
        try {
            Runtime.getRuntime().removeShutdownHook(dropAtExit);
        } catch (IllegalStateException exiting) {
            // the hook runs, or ran, anyway
        }
    }

    private synchronized void drop() {
        if (!dropped) {
            dropped = true;
            run("pg_dropcluster", "--stop", VERSION, name);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a postgresql-common command; fails with its output unless it exits 0 within 2 minutes. */
    private static void run(String... command) {
        List<String> line = new ArrayList<>(List.of(command));
        try {
            Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", line) + " did not end within 2 minutes");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", line) + " exited " + p.exitValue() + " (it needs root and"
                        + " postgresql-common with PostgreSQL " + VERSION + "): " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", line) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
