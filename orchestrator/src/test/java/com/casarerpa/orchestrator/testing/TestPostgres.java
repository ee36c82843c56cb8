package com.casarerpa.orchestrator.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * The real PostgreSQL the suite runs against (scripts/test makes sure it is up). Each call of
 * {@link #createDatabase()} makes a fresh, uniquely named database that is dropped when the test
 * JVM exits (or earlier with {@link #dropDatabase(String)}); {@link #createMigratedDatabase()}
 * makes one with the current schema, copied from a {@link MigratedTemplate}. Never skips: an
 * unreachable server fails the test with a message that says how to fix it.
 *
 * <p>Settings: CASARE_TEST_PG_HOST (127.0.0.1), CASARE_TEST_PG_PORT (5432), CASARE_TEST_PG_USER
 * (postgres), CASARE_TEST_PG_PASSWORD (empty).
 */
public final class TestPostgres {
    public static final String HOST = env("CASARE_TEST_PG_HOST", "127.0.0.1");
    public static final int PORT = Integer.parseInt(env("CASARE_TEST_PG_PORT", "5432"));
    public static final String USER = env("CASARE_TEST_PG_USER", "postgres");
    public static final String PASSWORD = env("CASARE_TEST_PG_PASSWORD", "");

    private TestPostgres() {}

    /** Creates an empty database and returns its name. */
    public static String createDatabase() {
        String name = newName();
        admin("CREATE DATABASE " + name);
        return forTests(name);
    }

    /**
     * Creates a database with every migration of this build applied (a copy of the migrated
     * template, so nothing is migrated here) and returns its name.
     */
    public static String createMigratedDatabase() {
        String name = newName();
        MigratedTemplate.copyTo(name);
        return forTests(name);
    }

    /**
     * Commits in a test database do not wait for the WAL to reach the disk
     * ({@code synchronous_commit = off}): 0.2 ms instead of 3.6 ms each on the suite's machine,
     * and the suite commits tens of thousands of times. Only durability through a crash of the
     * PostgreSQL server is given up, which no test relies on: locks, isolation and what other
     * sessions see after a commit are unchanged. The database is dropped when the JVM exits.
     */
    private static String forTests(String name) {
        admin("ALTER DATABASE " + name + " SET synchronous_commit = off");
        return dropAtExit(name);
    }

    private static String newName() {
        return "casare_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    }

    private static String dropAtExit(String name) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> dropDatabase(name)));
        return name;
    }

    public static void dropDatabase(String name) {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** {@code postgresql://user@host:port/name}, the DATABASE_URL form of the specification. */
    public static String url(String database) {
        String auth = PASSWORD.isEmpty() ? USER : USER + ":" + PASSWORD;
        return "postgresql://" + auth + "@" + HOST + ":" + PORT + "/" + database;
    }

    /** A {@code jdbc:postgresql:} URL with user and password as parameters. */
    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database + "?user=" + USER
                + (PASSWORD.isEmpty() ? "" : "&password=" + PASSWORD);
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database));
    }

    private static void admin(String sql) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw unreachable(sql, e);
        }
    }

    /** The failure of an administrative statement, with how to fix the usual cause. */
    static IllegalStateException unreachable(String sql, SQLException e) {
        return new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " (user " + USER + ") failed '" + sql
                + "': " + e.getMessage() + ". Run the suite with scripts/test, which starts the local PostgreSQL.", e);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
