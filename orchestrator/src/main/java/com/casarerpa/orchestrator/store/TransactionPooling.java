package com.casarerpa.orchestrator.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * Tells whether connections to a PostgreSQL URL are pooled per transaction (or per statement),
 * as behind pgbouncer with {@code pool_mode = transaction}: session state (LISTEN, session
 * advisory locks, named prepared statements) then does not last from one transaction to the next.
 *
 * <p>How: two client connections, each in autocommit, ask for their backend's pid in turns
 * (A, B, A, A, B, B). A session, direct or through a session pooler, keeps one backend for the
 * whole client connection, and two open client connections never share one; so a client whose
 * pid changes, or a pid seen by both, proves transaction pooling. A transaction pooler hands the
 * backend that was just released to the next transaction (pgbouncer's default), so it is seen at
 * once; one that hands out its backends in turns ({@code server_round_robin = 1}) is caught by a
 * client's two queries in a row. No false alarm is possible: the answer "pooled" is a proof.
 */
public final class TransactionPooling {
    private static final char[] TURNS = {'A', 'B', 'A', 'A', 'B', 'B'};

    private TransactionPooling() {}

    /** True when the connections to {@code url} were seen sharing backends (see above); opens two connections. */
    public static boolean detected(DatabaseUrl url, PoolSettings settings) {
        if (url.dialect() != Dialect.POSTGRESQL) {
            return false;
        }
        try (Connection a = Database.connectDirectly(url, settings); Connection b = Database.connectDirectly(url, settings)) {
            Set<Integer> seenByA = new HashSet<>();
            Set<Integer> seenByB = new HashSet<>();
            for (char turn : TURNS) {
                if (turn == 'A') {
                    seenByA.add(backendPid(a));
                } else {
                    seenByB.add(backendPid(b));
                }
            }
            return seenByA.size() > 1 || seenByB.size() > 1 || seenByA.stream().anyMatch(seenByB::contains);
        } catch (SQLException e) {
            throw ConnectionFailures.classify(e, url, settings.connectionTimeout());
        }
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Start-up refuses transaction pooling that {@code database.pool_mode} does not declare, or on the direct URL. */
    public static final class Undeclared extends StoreException {
        /** @param setting the setting that holds {@code url}: database.url or database.direct_url */
        public Undeclared(DatabaseUrl url, String setting) {
            super(setting + ": the connections to " + url.endpoint() + " are pooled per transaction (pgbouncer pool_mode ="
                    + " transaction?): two connections of this instance were served by one PostgreSQL backend, and"
                    + " LISTEN/NOTIFY wake-ups and the migration lock need sessions; " + (setting.equals("database.url")
                    ? "set database.pool_mode: transaction (CASARE_DATABASE_POOL_MODE) with database.direct_url"
                            + " (DATABASE_DIRECT_URL) pointing at PostgreSQL itself, or use pool_mode = session in pgbouncer.ini"
                    : "point DATABASE_DIRECT_URL at PostgreSQL itself or at a pgbouncer database in session mode"), null);
        }
    }
}
