package com.casarerpa.orchestrator.store;

import com.casarerpa.common.config.Secret;
import com.casarerpa.orchestrator.config.OrchestratorSettings;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the database is and how to log in, parsed from {@code database.url} / {@code DATABASE_URL}.
 *
 * <p>Accepted forms:
 * <ul>
 *   <li>{@code postgresql://user:password@host:port/database?sslmode=require} and the same with
 *       {@code postgres://} (user and password percent-decoded, port 5432 by default, query
 *       parameters passed to the driver);</li>
 *   <li>{@code jdbc:postgresql://host:port/database?user=…&password=…};</li>
 *   <li>{@code jdbc:h2:…}, used as it is;</li>
 *   <li>no URL: the embedded H2 database under the data directory ({@link #embedded(Path)}).</li>
 * </ul>
 *
 * <p>The password is kept apart: {@link #jdbcUrl()} never contains it, {@link #display()} and
 * {@link #toString()} show {@code ****} in its place, and parse errors never quote the URL.
 */
public final class DatabaseUrl {
    /** The file name (without H2's {@code .mv.db}) of the embedded database in the data directory. */
    public static final String EMBEDDED_FILE_NAME = "casare";

    /**
     * {@code TRACE_LEVEL_FILE=0}: H2 writes no {@code casare.trace.db}, which it would create with
     * the umask while running (on a refused login, say); its errors reach us as exceptions anyway.
     */
    private static final String EMBEDDED_OPTIONS =
            ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;TRACE_LEVEL_FILE=0;AUTO_SERVER=TRUE";

    private final Dialect dialect;
    private final String jdbcUrl;
    private final Optional<String> user;
    private final Optional<Secret> password;
    private final String display;
    private final String endpoint;
    private final Optional<String> databaseName;
    private final Optional<Path> embeddedDataDir;

    DatabaseUrl(Dialect dialect, String jdbcUrl, Optional<String> user, Optional<Secret> password, String display,
            String endpoint, Optional<String> databaseName, Optional<Path> embeddedDataDir) {
        this.dialect = Objects.requireNonNull(dialect);
        this.jdbcUrl = Objects.requireNonNull(jdbcUrl);
        this.user = user;
        this.password = password;
        this.display = display;
        this.endpoint = endpoint;
        this.databaseName = databaseName;
        this.embeddedDataDir = embeddedDataDir;
    }

    /** The configured database: {@code database.url} when set, else the embedded one under {@code dataDir}. */
    public static DatabaseUrl of(OrchestratorSettings settings) {
        return settings.database().url()
                .map(url -> parse(url.reveal()))
                .orElseGet(() -> embedded(settings.dataDir()));
    }

    /**
     * Parses a configured URL.
     *
     * @throws InvalidDatabaseUrlException naming {@code database.url} and what is wrong
     */
    public static DatabaseUrl parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidDatabaseUrlException("is empty; expected postgresql://user:password@host:5432/database");
        }
        String url = raw.strip();
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
            return PostgresUri.parse(url);
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return PostgresJdbcUrl.parse(url);
        }
        if (lower.startsWith("jdbc:h2:")) {
            return H2JdbcUrl.parse(url);
        }
        throw new InvalidDatabaseUrlException("unsupported kind of URL" + schemeOf(url)
                + "; use postgresql://user:password@host:5432/database, jdbc:postgresql://… or jdbc:h2:…"
                + " (or leave it unset for the embedded database)");
    }

    /**
     * The embedded database: an H2 file {@code <dataDir>/casare.mv.db} in PostgreSQL mode.
     * {@code AUTO_SERVER} lets CLI commands use it while a server process holds it open. Its
     * password is not here: {@link Database#open} reads it from the data directory.
     */
    public static DatabaseUrl embedded(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        if (dir.toString().contains(";")) {
            throw new InvalidDatabaseUrlException("the data directory of the embedded database may not contain ';' ("
                    + dir + "); set CASARE_DATA_DIR to another directory");
        }
        String file = dir.resolve(EMBEDDED_FILE_NAME).toString();
        String jdbc = "jdbc:h2:file:" + file + EMBEDDED_OPTIONS;
        return new DatabaseUrl(Dialect.H2, jdbc, Optional.of("sa"), Optional.empty(),
                "embedded H2 database " + file + ".mv.db", file + ".mv.db", Optional.of(EMBEDDED_FILE_NAME),
                Optional.of(dir));
    }

    /** The same database with another password (the embedded database's, kept in its data directory). */
    DatabaseUrl withPassword(Secret newPassword) {
        return new DatabaseUrl(dialect, jdbcUrl, user, Optional.of(newPassword), display, endpoint, databaseName,
                embeddedDataDir);
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The URL given to the JDBC driver; never contains the password. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public Optional<String> user() {
        return user;
    }

    public Optional<Secret> password() {
        return password;
    }

    /** The URL as shown to people and in logs, password masked. */
    public String display() {
        return display;
    }

    /** {@code host:port} for PostgreSQL (comma-separated when several), the file or URL for H2. */
    public String endpoint() {
        return endpoint;
    }

    public Optional<String> databaseName() {
        return databaseName;
    }

    /** The data directory when this is the orchestrator's own embedded database. */
    public Optional<Path> embeddedDataDir() {
        return embeddedDataDir;
    }

    public boolean isEmbedded() {
        return embeddedDataDir.isPresent();
    }

    /** Replaces the password, wherever it appears in {@code text}, by {@code ****}. */
    public String scrub(String text) {
        if (text == null) {
            return "";
        }
        String result = text;
        if (password.isPresent() && !password.get().reveal().isEmpty()) {
            result = result.replace(password.get().reveal(), "****");
        }
        return result;
    }

    @Override
    public String toString() {
        return display;
    }

    private static String schemeOf(String url) {
        int colon = url.indexOf(':');
        if (colon <= 0) {
            return "";
        }
        String scheme = url.substring(0, colon);
        return scheme.matches("[A-Za-z][A-Za-z0-9+.-]{0,20}") ? " \"" + scheme + ":\"" : "";
    }
}
