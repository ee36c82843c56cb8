package com.casarerpa.orchestrator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The PostgreSQL extensions the specification lists ({@code uuid-ossp}, {@code pgcrypto}).
 * The schema does not depend on them (UUIDs are made in Java, {@code gen_random_uuid()} is
 * built in since PostgreSQL 13), so failing to create one is a warning, not an error: managed
 * databases often do not let the application's role create extensions.
 */
public final class PostgresExtensions {
    public static final List<String> NAMES = List.of("uuid-ossp", "pgcrypto");

    /** Whether an extension is there. */
    public enum State {
        INSTALLED, AVAILABLE, UNAVAILABLE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** @param version the installed version, else the version that would be installed */
    public record Extension(String name, State state, Optional<String> version) {}

    /** What {@link #ensure()} did for one extension. */
    public record Outcome(String name, Result result, String detail) {
        public boolean isWarning() {
            return result == Result.NOT_PERMITTED || result == Result.UNAVAILABLE || result == Result.FAILED;
        }
    }

    public enum Result { CREATED, ALREADY_INSTALLED, NOT_PERMITTED, UNAVAILABLE, FAILED }

    private final Database database;

    public PostgresExtensions(Database database) {
        if (database.dialect() != Dialect.POSTGRESQL) {
            throw new IllegalArgumentException("extensions exist only on PostgreSQL, not on " + database.dialect());
        }
        this.database = database;
    }

    /** The state of each of {@link #NAMES}, from {@code pg_available_extensions}. */
    public List<Extension> inspect() {
        try (Connection c = database.connection()) {
            return inspect(c);
        } catch (SQLException e) {
            throw new DatabaseAccessException("cannot read pg_available_extensions: " + e.getMessage(), e);
        }
    }

    /**
     * Creates each missing extension with {@code CREATE EXTENSION IF NOT EXISTS}. Never throws for
     * an extension that cannot be created; the outcome says why.
     */
    public List<Outcome> ensure() {
        List<Outcome> outcomes = new ArrayList<>();
        try (Connection c = database.connection()) {
            c.setAutoCommit(true);
            for (Extension ext : inspect(c)) {
                outcomes.add(switch (ext.state()) {
                    case INSTALLED -> new Outcome(ext.name(), Result.ALREADY_INSTALLED, "already installed");
                    case UNAVAILABLE -> new Outcome(ext.name(), Result.UNAVAILABLE,
                            "not available on this server (install the PostgreSQL contrib package)");
                    case AVAILABLE -> create(c, ext.name());
                });
            }
        } catch (SQLException e) {
            throw new DatabaseAccessException("cannot check PostgreSQL extensions: " + e.getMessage(), e);
        }
        return outcomes;
    }

    private Outcome create(Connection c, String name) {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS \"" + name + "\"");
            return new Outcome(name, Result.CREATED, "created");
        } catch (SQLException e) {
            String reason = ConnectionFailures.oneLine(e.getMessage(), database.url()).replaceFirst("^ERROR: ", "");
            if ("42501".equals(e.getSQLState())) {
                return new Outcome(name, Result.NOT_PERMITTED, reason + " (ask the database owner to run CREATE EXTENSION \""
                        + name + "\"; the orchestrator works without it)");
            }
            return new Outcome(name, Result.FAILED, reason + " (the orchestrator works without it)");
        }
    }

    private static List<Extension> inspect(Connection c) throws SQLException {
        List<Extension> result = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT installed_version, default_version FROM pg_available_extensions WHERE name = ?")) {
            for (String name : NAMES) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        result.add(new Extension(name, State.UNAVAILABLE, Optional.empty()));
                    } else if (rs.getString(1) != null) {
                        result.add(new Extension(name, State.INSTALLED, Optional.of(rs.getString(1))));
                    } else {
                        result.add(new Extension(name, State.AVAILABLE, Optional.ofNullable(rs.getString(2))));
                    }
                }
            }
        }
        return result;
    }
}
