package com.casarerpa.orchestrator.store;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * A failed statement as it may be logged: the condition (named from the SQLState), the names of
 * the schema objects involved, and the statement's SQL with its placeholders; never a value bound
 * to it. It stands in for the driver's exception, whose text may quote values: H2 writes the row's
 * values into a unique violation ({@code … VALUES ('…')}) and the value into "Value too long";
 * PostgreSQL quotes it in data errors ({@code invalid input syntax for type json: "…"}) and, unless
 * {@code logServerErrorDetail=false} (set by {@link Database}), in a {@code Detail:} line; JDBI
 * adds the bound arguments. The driver's own text is kept only for SQLState classes whose
 * messages speak of the connection, the transaction or the SQL itself, never of data. The stack
 * trace is the original's, so a log still shows where the statement was run.
 */
public final class RedactedSqlException extends SQLException {
    /** SQLState classes whose messages name no data: connection, transaction, syntax/access, resources, operator. */
    private static final Set<String> TEXT_WITHOUT_DATA = Set.of("08", "0A", "25", "28", "3D", "40", "42", "53", "54", "55", "57", "58", "HY");
    private static final Map<String, String> CONDITIONS = Map.ofEntries(
            Map.entry("23505", "unique violation"),
            Map.entry("23502", "not-null violation"),
            Map.entry("23503", "foreign key violation"),
            Map.entry("23506", "foreign key violation"),
            Map.entry("23513", "check violation"),
            Map.entry("23514", "check violation"),
            Map.entry("22001", "value too long for its column"),
            Map.entry("22021", "invalid byte sequence for the encoding (a NUL byte in text?)"),
            Map.entry("22P02", "invalid text representation"),
            Map.entry("22018", "invalid value for its type"),
            Map.entry("22003", "numeric value out of range"),
            Map.entry("22007", "invalid date or time"),
            Map.entry("22008", "date or time out of range"),
            Map.entry("40001", "serialization failure"),
            Map.entry("40P01", "deadlock"),
            Map.entry("55P03", "lock not available"),
            Map.entry("57014", "statement cancelled"));
    private static final Map<String, String> CLASSES = Map.of("22", "data exception", "23", "integrity constraint violation",
            "40", "transaction rollback", "42", "syntax error or access rule violation", "08", "connection failure",
            "53", "insufficient resources", "57", "operator intervention");
    private static final int MAX_SQL = 500;

    private final String summary;

    private RedactedSqlException(String summary, String message, SQLException original) {
        super(message, original.getSQLState(), original.getErrorCode());
        this.summary = summary;
    }

    /** The stand-in for the driver's exception under {@code failure} (its first {@link SQLException}). */
    static RedactedSqlException of(Throwable failure, SQLException original) {
        String summary = summary(original);
        String sql = statementOf(failure).map(s -> "; statement: " + s).orElse("");
        RedactedSqlException redacted = new RedactedSqlException(summary, summary + sql, original);
        redacted.setStackTrace(failure.getStackTrace());
        return redacted;
    }

    /** What failed, in one line without the statement: {@code unique violation (SQLState 23505, constraint "…", table "…")}. */
    public String summary() {
        return summary;
    }

    private static String summary(SQLException failure) {
        // A batch's own message lists the statements with their values; the server's word is the next exception.
        SQLException e = failure instanceof BatchUpdateException && failure.getNextException() != null
                ? failure.getNextException() : failure;
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String stateClass = state.length() >= 2 ? state.substring(0, 2) : "";
        List<String> facts = new ArrayList<>();
        facts.add("SQLState " + (state.isEmpty() ? "unknown" : state));
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            name(facts, "constraint", m.getConstraint());
            name(facts, "table", m.getTable());
            name(facts, "column", m.getColumn());
            name(facts, "type", m.getDatatype());
        }
        String condition = TEXT_WITHOUT_DATA.contains(stateClass) ? driverText(e)
                : CONDITIONS.getOrDefault(state, CLASSES.getOrDefault(stateClass, "database error"));
        return condition + " (" + String.join(", ", facts) + ")";
    }

    private static void name(List<String> facts, String what, String name) {
        if (name != null && !name.isBlank()) {
            facts.add(what + " \"" + name + "\"");
        }
    }

    /** The driver's first line, without PostgreSQL's severity and H2's statement and error code. */
    private static String driverText(SQLException e) {
        String text = e instanceof PSQLException p && p.getServerErrorMessage() != null
                ? p.getServerErrorMessage().getMessage() : e.getMessage();
        if (text == null || text.isBlank()) {
            return e.getClass().getSimpleName();
        }
        text = text.lines().findFirst().orElse(text);
        int sql = text.indexOf("; SQL statement:");
        return (sql >= 0 ? text.substring(0, sql) : text).replaceFirst(" \\[\\d+-\\d+]$", "").strip();
    }

    /** The SQL JDBI ran, placeholders and all, on one line and cut to a readable length. */
    private static Optional<String> statementOf(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof StatementException s) {
                return Optional.ofNullable(s.getStatementContext()).map(StatementContext::getRenderedSql)
                        .map(sql -> sql.replaceAll("\\s+", " ").strip())
                        .map(sql -> sql.length() > MAX_SQL ? sql.substring(0, MAX_SQL) + "…" : sql);
            }
        }
        return Optional.empty();
    }
}
