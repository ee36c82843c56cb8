package com.casarerpa.orchestrator.store;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementExceptions;

/**
 * The JDBI set-up every store shares: one {@link Jdbi} per {@link Database}, one way to wrap
 * database errors, and the one way instants are written and read ({@code TIMESTAMP WITH TIME ZONE}, UTC) on PostgreSQL and H2.
 * No value bound to a statement ever reaches an exception message, and hence the log: JDBI's
 * messages leave the arguments out, and a wrapped failure carries a {@link RedactedSqlException}
 * instead of the driver's (job variables, webhook secrets and key hashes are bound values).
 */
public final class Jdbi3 {
    /** SQLSTATE of a unique-key violation, the same on PostgreSQL and H2. */
    private static final String UNIQUE_VIOLATION = "23505";

    private Jdbi3() {}

    /**
     * The {@link Jdbi} of {@code database}. Its connections come from {@link Database#connection()},
     * so a failure to get one is a {@link DatabaseUnavailableException} (with the pool's counters).
     */
    public static Jdbi of(Database database) {
        Jdbi jdbi = Jdbi.create(database::connection);
        // NONE: JDBI's message is the driver's alone, without the SQL and the bound arguments it adds by default.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        return jdbi;
    }

    /**
     * As {@link #of(Database)}, with every statement bounded to {@code statementTimeoutSeconds}
     * (0: no bound): a statement stuck behind a lock or a stalled server is cancelled then, and
     * {@link #call} turns that into a {@link DatabaseUnavailableException}, so a request answers
     * 503 instead of hanging. The server's requests and sweeps use it; migrations do not.
     */
    public static Jdbi of(Database database, int statementTimeoutSeconds) {
        Jdbi jdbi = of(database);
        if (statementTimeoutSeconds > 0) {
            jdbi.getConfig(SqlStatements.class).setQueryTimeout(statementTimeoutSeconds);
        }
        return jdbi;
    }

    /**
     * Runs statements and wraps what the database says no with once, at this boundary: a
     * unique-key violation becomes {@link UniqueViolationException} (callers may retry or report a
     * conflict), a statement the database could not carry out now (the connection broke, the server
     * is shutting down, the statement ran out of time: see {@link ConnectionFailures#transientFailure})
     * {@link DatabaseUnavailableException}, anything else {@link DatabaseAccessException}, both naming {@code what} was being
     * done. Their message and cause say what failed without the values bound to the statement
     * ({@link RedactedSqlException}). A failure to get a connection stays the
     * {@link DatabaseUnavailableException} of {@link #of}; any other exception passes unchanged.
     */
    public static <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (JdbiException e) {
            Optional<SQLException> sql = sqlCause(e);
            if (sql.isEmpty()) {
                // JDBI's own failure (a mapping, a missing binding): its message has no values with NONE rendering.
                throw new DatabaseAccessException(what + ": " + oneLine(e), e);
            }
            RedactedSqlException cause = RedactedSqlException.of(e, sql.get());
            String message = what + ": " + cause.summary();
            if (UNIQUE_VIOLATION.equals(sql.get().getSQLState())) {
                throw new UniqueViolationException(message, cause);
            }
            Optional<DatabaseUnavailableException.Reason> unavailable = ConnectionFailures.transientFailure(sql.get());
            if (unavailable.isPresent()) {
                // The database, not the statement, failed: as for a failed checkout, try again later.
                throw new DatabaseUnavailableException(unavailable.get(), message, cause);
            }
            throw new DatabaseAccessException(message, cause);
        }
    }

    public static void run(String what, Runnable action) {
        call(what, () -> {
            action.run();
            return null;
        });
    }

    /** The JDBC value for an instant column. */
    public static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** Reads an instant column that may be null, whatever type the driver returns. */
    public static Optional<Instant> instant(Object value) {
        return switch (value) {
            case null -> Optional.empty();
            case OffsetDateTime odt -> Optional.of(odt.toInstant());
            case Timestamp t -> Optional.of(t.toInstant());
            case java.time.ZonedDateTime z -> Optional.of(z.toInstant());
            case Instant i -> Optional.of(i);
            default -> throw new IllegalStateException("not a timestamp: " + value.getClass().getName());
        };
    }

    /** The first {@link SQLException} in the cause chain: the driver's own word on what failed. */
    private static Optional<SQLException> sqlCause(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
