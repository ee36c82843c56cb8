package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.store.DatabaseUnavailableException.Reason;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.postgresql.util.PSQLException;

/**
 * Turns a failed connection attempt (a driver exception, perhaps wrapped by the pool) into a
 * {@link DatabaseUnavailableException} whose one-line message says what went wrong and what to
 * do. The single place that knows the SQLStates and error codes of both drivers.
 */
final class ConnectionFailures {
    /** H2: "Database may be already in use" (the file is locked by another process). */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;
    /** H2: wrong user name or password. */
    private static final int H2_WRONG_USER_OR_PASSWORD = 28000;

    /**
     * SQLStates of a statement the database ended for reasons of its own, not of the statement:
     * the server is shutting down or restarting (57P01 admin shutdown, 57P02 crash shutdown,
     * 57P03 cannot connect now, 57P05 idle session timeout), out of connections or resources
     * (53300, 53000). Like a broken connection (class 08), the same statement may work a moment
     * later: callers answer "unavailable, try again".
     */
    private static final Set<String> SERVER_GONE = Set.of("57P01", "57P02", "57P03", "57P05", "53300", "53000");
    /**
     * SQLStates of a statement that ran out of its time: cancelled by the query timeout or
     * {@code statement_timeout} (57014, on H2 too), PostgreSQL's {@code lock_timeout} (55P03),
     * H2's lock timeout (HYT00).
     */
    private static final Set<String> TIMED_OUT = Set.of("57014", "55P03", "HYT00");
    /** SQLState class 08: the connection failed (PostgreSQL's driver reports a dropped socket as 08006). */
    private static final String CONNECTION_EXCEPTION = "08";

    private ConnectionFailures() {}

    /**
     * What a failed statement says about the database rather than about the statement: the
     * {@link Reason} when the statement may succeed if tried again later (connection broken,
     * server shutting down, statement out of time), else empty.
     */
    static Optional<Reason> transientFailure(SQLException failure) {
        String state = failure.getSQLState() == null ? "" : failure.getSQLState();
        if (state.startsWith(CONNECTION_EXCEPTION) || SERVER_GONE.contains(state)) {
            return Optional.of(Reason.UNREACHABLE);
        }
        if (TIMED_OUT.contains(state)) {
            return Optional.of(Reason.TIMED_OUT);
        }
        return Optional.empty();
    }

    static DatabaseUnavailableException classify(Throwable failure, DatabaseUrl url, Duration connectTimeout) {
        Optional<SQLException> sql = innermostSqlException(failure);
        String state = sql.map(SQLException::getSQLState).orElse("");
        return switch (url.dialect()) {
            case POSTGRESQL -> postgres(failure, sql, state, url, connectTimeout);
            case H2 -> h2(failure, sql, url);
        };
    }

    private static DatabaseUnavailableException postgres(Throwable failure, Optional<SQLException> sql, String state,
            DatabaseUrl url, Duration connectTimeout) {
        String at = url.endpoint();
        String user = url.user().orElse(System.getProperty("user.name"));
        if (state.equals("28P01") || state.equals("28000")) {
            return new DatabaseUnavailableException(Reason.CREDENTIALS_REFUSED,
                    "PostgreSQL at " + at + " refused the login of user \"" + user + "\": " + serverMessage(sql.get(), url)
                            + "; check the user name and password in database.url (DATABASE_URL)",
                    failure);
        }
        if (state.equals("3D000")) {
            String db = url.databaseName().orElse("?");
            String[] hostPort = splitFirstEndpoint(at);
            return new DatabaseUnavailableException(Reason.DATABASE_MISSING,
                    "database \"" + db + "\" does not exist on " + at + "; create it with: createdb -h " + hostPort[0]
                            + " -p " + hostPort[1] + " -U " + user + " " + db,
                    failure);
        }
        String unreachable = "cannot reach PostgreSQL at " + at + ": ";
        if (find(failure, UnknownHostException.class).isPresent()) {
            return new DatabaseUnavailableException(Reason.UNREACHABLE,
                    unreachable + "unknown host \"" + splitFirstEndpoint(at)[0] + "\"", failure);
        }
        if (find(failure, NoRouteToHostException.class).isPresent()) {
            return new DatabaseUnavailableException(Reason.UNREACHABLE, unreachable + "no route to host", failure);
        }
        if (find(failure, ConnectException.class).isPresent()) {
            return new DatabaseUnavailableException(Reason.UNREACHABLE,
                    unreachable + "connection refused (is the server running and listening on that port?)", failure);
        }
        if (find(failure, SocketTimeoutException.class).isPresent()) {
            return new DatabaseUnavailableException(Reason.UNREACHABLE,
                    unreachable + "timed out after " + connectTimeout.toSeconds() + " s (firewall, or wrong host?)", failure);
        }
        if (state.startsWith(CONNECTION_EXCEPTION) || SERVER_GONE.contains(state)) {
            return new DatabaseUnavailableException(Reason.UNREACHABLE, unreachable + oneLine(failureMessage(failure, sql), url),
                    failure);
        }
        return new DatabaseUnavailableException(Reason.OTHER,
                "cannot connect to PostgreSQL at " + at + ": " + oneLine(failureMessage(failure, sql), url), failure);
    }

    private static DatabaseUnavailableException h2(Throwable failure, Optional<SQLException> sql, DatabaseUrl url) {
        int code = sql.map(SQLException::getErrorCode).orElse(0);
        if (code == H2_DATABASE_ALREADY_OPEN) {
            return new DatabaseUnavailableException(Reason.LOCKED,
                    "the H2 database " + url.endpoint() + " is locked by another process that does not share it"
                            + " (it was opened without AUTO_SERVER=TRUE); stop that process and try again",
                    failure);
        }
        if (code == H2_WRONG_USER_OR_PASSWORD) {
            return new DatabaseUnavailableException(Reason.CREDENTIALS_REFUSED,
                    "the H2 database " + url.endpoint() + " refused the user name or password in database.url", failure);
        }
        return new DatabaseUnavailableException(Reason.OTHER,
                "cannot open the H2 database " + url.endpoint() + ": " + oneLine(failureMessage(failure, sql), url), failure);
    }

    private static String serverMessage(SQLException e, DatabaseUrl url) {
        if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null
                && psql.getServerErrorMessage().getMessage() != null) {
            return oneLine(psql.getServerErrorMessage().getMessage(), url);
        }
        return oneLine(e.getMessage(), url);
    }

    private static String failureMessage(Throwable failure, Optional<SQLException> sql) {
        return sql.<Throwable>map(s -> s).orElse(failure).getMessage();
    }

    /** First line only, without H2's trailing "[90020-252]" code, password scrubbed. */
    static String oneLine(String message, DatabaseUrl url) {
        String text = url.scrub(message == null ? "" : message).strip();
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            text = text.substring(0, newline).strip();
        }
        return text.replaceFirst("^FATAL: ", "").replaceFirst(" \\[\\d+-\\d+]$", "");
    }

    private static String[] splitFirstEndpoint(String endpoints) {
        String first = endpoints.split(",")[0];
        int colon = first.lastIndexOf(':');
        return colon < 0 ? new String[] {first, String.valueOf(PostgresUri.DEFAULT_PORT)}
                : new String[] {first.substring(0, colon), first.substring(colon + 1)};
    }

    /** The driver's own exception: the pool wraps it in exceptions of its own. */
    private static Optional<SQLException> innermostSqlException(Throwable t) {
        SQLException found = null;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException s) {
                found = s;
            }
        }
        return Optional.ofNullable(found);
    }

    private static <T extends Throwable> Optional<T> find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return Optional.of(type.cast(c));
            }
            if (c instanceof SQLException s && s.getNextException() != null && type.isInstance(s.getNextException())) {
                return Optional.of(type.cast(s.getNextException()));
            }
        }
        return Optional.empty();
    }
}
