package com.casarerpa.orchestrator.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * The JDBI set-up every store shares: one {@link Jdbi} per {@link Database}, one way to wrap
 * database errors, and the one way instants are written and read ({@code TIMESTAMP WITH TIME ZONE}, UTC) on PostgreSQL and H2.
 */
public final class Jdbi3 {
    private Jdbi3() {}

    public static Jdbi of(Database database) {
        return Jdbi.create(database.dataSource());
    }

    /**
     * Runs a statement and wraps what the database says no with once, at this boundary:
     * {@link DatabaseAccessException} naming {@code what} was being done.
     */
    public static <T> T call(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (JdbiException e) {
            throw new DatabaseAccessException(what + ": " + e.getMessage(), e);
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
}
