package com.casarerpa.orchestrator.store;

/**
 * No connection to the database could be made, or the database could not carry out a statement
 * now (its connection broke, the server is shutting down, the statement ran out of time), or
 * every connection of the pool stayed busy for the whole connection timeout. Nothing was changed;
 * the same request may work a moment later. {@link #reason()} says why, so callers (check-db,
 * /health) can report it without parsing the message; the message is one line for an operator, a
 * client sees a fixed one: HTTP 503 {@code unavailable}, or {@code overloaded} when the pool was
 * exhausted (the database answers, this instance has more work than connections), retryable.
 */
public class DatabaseUnavailableException extends StoreException {

    /** Why the connection failed. */
    public enum Reason {
        /** Host unknown, port closed, connection timed out, no route. */
        UNREACHABLE,
        /** The server refused the user name or password (SQLState 28000, 28P01). */
        CREDENTIALS_REFUSED,
        /** The server is up but the database does not exist (SQLState 3D000). */
        DATABASE_MISSING,
        /** The embedded database file is held by another process that does not share it. */
        LOCKED,
        /** A statement did not finish in its time (statement or lock timeout): the database is stalled or busy. */
        TIMED_OUT,
        /** Anything else: too many connections, server starting up, SSL required, … */
        OTHER,
        /**
         * Every connection of this instance's pool was in use for the whole connection timeout, and
         * no connection attempt had failed: the database answers, this instance asks more of it than
         * its pool holds (a slow statement, a lock held, too small a pool for the load).
         */
        POOL_EXHAUSTED;

        /** Lower-case name for JSON output. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;

    public DatabaseUnavailableException(Reason reason, String message, Throwable cause) {
        super(503, reason == Reason.POOL_EXHAUSTED ? "overloaded" : "unavailable", true, message, cause);
        this.reason = reason;
    }

    @Override
    public String clientMessage() {
        return reason == Reason.POOL_EXHAUSTED
                ? "The server is overloaded: every database connection stayed busy; nothing was changed. Try again in a second."
                : "The database is unreachable; nothing was changed. Try again in a few seconds.";
    }

    public Reason reason() {
        return reason;
    }
}
