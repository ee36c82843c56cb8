package com.casarerpa.orchestrator.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs work in one database transaction: commit when it returns, roll back when it throws.
 * This is where a {@link SQLException} of a statement is wrapped, once: a unique-key violation
 * becomes {@link UniqueViolationException} (callers may retry or report a conflict), anything
 * else {@link DatabaseAccessException}; failures to get a connection are
 * {@link DatabaseUnavailableException}.
 */
public final class Transactions {
    /** SQLSTATE of a unique-key violation, the same on PostgreSQL and H2. */
    private static final String UNIQUE_VIOLATION = "23505";

    private Transactions() {}

    public static <T> T run(Database database, SqlWork<T> work) {
        try (Connection c = database.connection()) {
            try {
                c.setAutoCommit(false);
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new UniqueViolationException(oneLine(e), e);
            }
            throw new DatabaseAccessException("database statement failed: " + oneLine(e), e);
        }
    }

    private static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static String oneLine(SQLException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
