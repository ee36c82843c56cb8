package com.casarerpa.orchestrator.store;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The schema migrations of this build (Flyway) and their state in a database.
 *
 * <p>Migrations live in {@code db/migration/common} (portable SQL, the rule) and
 * {@code db/migration/postgresql} or {@code db/migration/h2} (only where the SQL must differ;
 * the same version number in both vendor folders). An applied migration is never edited: change
 * the schema with a new version. History is kept in Flyway's default {@code flyway_schema_history}
 * table.
 *
 * <p>Every method may throw {@link MigrationFailedException} (Flyway's reason in one line) or
 * {@link DatabaseUnavailableException}.
 */
public final class Migrations {
    private final Database database;
    private final Flyway flyway;

    public Migrations(Database database) {
        this.database = database;
        this.flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(database.dataSource())
                .locations("classpath:db/migration/common", database.dialect().vendorMigrationLocation())
                .failOnMissingLocations(false)
                .load();
    }

    /** Every migration known to this build or recorded in the database, oldest first. */
    public List<MigrationStatus> status() {
        return call(() -> Arrays.stream(flyway.info().all())
                .filter(MigrationInfo::isVersioned)
                .map(Migrations::toStatus)
                .toList());
    }

    /** Migrations of this build not applied yet; empty means the schema is current. */
    public List<MigrationStatus> pending() {
        return status().stream().filter(m -> m.state() == MigrationStatus.State.PENDING).toList();
    }

    /** True when at least one migration has been applied successfully. */
    public boolean isInitialised() {
        return currentVersion().isPresent();
    }

    /** The version of the newest successfully applied migration; empty on an empty database. */
    public Optional<String> currentVersion() {
        List<MigrationStatus> all = status();
        for (int i = all.size() - 1; i >= 0; i--) {
            MigrationStatus m = all.get(i);
            if (m.state() == MigrationStatus.State.APPLIED || m.state() == MigrationStatus.State.FUTURE) {
                return Optional.of(m.version());
            }
        }
        return Optional.empty();
    }

    /**
     * Applies the pending migrations, each in its own transaction, and returns them in order
     * (empty when the schema was current). Concurrent callers are serialised by Flyway's lock;
     * the second finds nothing to do.
     */
    public List<AppliedMigration> migrate() {
        MigrateResult result = call(flyway::migrate);
        return result.migrations.stream()
                .map(m -> new AppliedMigration(m.version, m.description, Duration.ofMillis(m.executionTime)))
                .toList();
    }

    /**
     * For the server at start-up and for {@code /ready}.
     *
     * @throws PendingMigrationsException when migrations are pending, with what to run
     */
    public void requireCurrent() {
        List<MigrationStatus> pending = pending();
        if (!pending.isEmpty()) {
            String versions = pending.stream().map(MigrationStatus::version).collect(Collectors.joining(", "));
            throw new PendingMigrationsException(pending, "the database " + database.displayUrl() + " has "
                    + pending.size() + " pending migration" + (pending.size() == 1 ? "" : "s") + " (" + versions
                    + "); apply them with: casare-rpa orchestrator "
                    + (isInitialised() ? "migrate" : "init-db"));
        }
    }

    private static MigrationStatus toStatus(MigrationInfo info) {
        MigrationStatus.State state = switch (info.getState()) {
            case SUCCESS, BASELINE, OUT_OF_ORDER -> MigrationStatus.State.APPLIED;
            case PENDING, IGNORED, ABOVE_TARGET, OUTDATED -> MigrationStatus.State.PENDING;
            case FAILED, MISSING_FAILED, FUTURE_FAILED -> MigrationStatus.State.FAILED;
            case FUTURE_SUCCESS -> MigrationStatus.State.FUTURE;
            case MISSING_SUCCESS -> MigrationStatus.State.MISSING;
            default -> info.getState().isApplied() ? MigrationStatus.State.APPLIED : MigrationStatus.State.PENDING;
        };
        return new MigrationStatus(info.getVersion().getVersion(), info.getDescription(), state,
                Optional.ofNullable(info.getInstalledOn()).map(java.util.Date::toInstant));
    }

    private <T> T call(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (FlywayException e) {
            java.sql.SQLException sql = findSql(e);
            if (sql != null && isConnectionFailure(sql)) {
                throw ConnectionFailures.classify(sql, database.url(), database.connectionTimeout());
            }
            throw new MigrationFailedException("migrations: " + foldFlywayMessage(e.getMessage()), e);
        }
    }

    private static boolean isConnectionFailure(java.sql.SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("28") || state.equals("3D000"));
    }

    private static java.sql.SQLException findSql(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.sql.SQLException s) {
                return s;
            }
        }
        return null;
    }

    /** Flyway explains over several lines and ends with links; keep the explanation, on one line. */
    private String foldFlywayMessage(String message) {
        if (message == null) {
            return "unknown Flyway error";
        }
        return database.url().scrub(message).lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("Need more flexibility") && !l.contains("https://")
                        && !l.startsWith("-----"))
                .collect(Collectors.joining(" "));
    }
}
