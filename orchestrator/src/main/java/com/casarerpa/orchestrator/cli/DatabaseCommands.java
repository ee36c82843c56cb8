package com.casarerpa.orchestrator.cli;

import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.common.cli.JsonOutput;
import com.casarerpa.orchestrator.store.AppliedMigration;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Dialect;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.store.PostgresExtensions;
import com.casarerpa.orchestrator.store.StoreException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What the database commands share: opening the configured database for one command, turning
 * store errors into {@link CommandFailure}, and printing. Commands do not take the embedded
 * server lock; H2's AUTO_SERVER lets them run beside a server.
 */
final class DatabaseCommands {
    private DatabaseCommands() {}

    /** The configured database URL (embedded when database.url is unset). */
    static DatabaseUrl url(CliContext ctx, ConfigOptions config) {
        return DatabaseUrl.of(config.loadForCommand(ctx).settings());
    }

    /**
     * Where the schema commands (init-db, migrate, db-status) go: database.direct_url when set
     * (a migration must not cross a transaction pooler), else {@link #url}.
     */
    static DatabaseUrl schemaUrl(CliContext ctx, ConfigOptions config) {
        return DatabaseUrl.forSessions(config.loadForCommand(ctx).settings());
    }

    /** A small pool for this command; closed by the caller. */
    static Database open(DatabaseUrl url) {
        try {
            return Database.open(url, PoolSettings.forCommand());
        } catch (StoreException e) {
            throw failure(e);
        } catch (UncheckedIOException e) {
            throw new CommandFailure(e.getMessage(), e);
        }
    }

    /** Opens the database of {@code settings} for a command that needs the current schema; closed by the caller. */
    static Database openCurrent(OrchestratorSettings settings) {
        Database db = open(DatabaseUrl.of(settings));
        try {
            new Migrations(db).requireCurrent();
            return db;
        } catch (StoreException e) {
            db.close();
            throw failure(e);
        }
    }

    static CommandFailure failure(StoreException e) {
        return new CommandFailure(e.getMessage(), e);
    }

    /**
     * On PostgreSQL, creates the extensions the specification lists; a role that may not create
     * them gets a warning line on stderr, not an error.
     */
    static void ensureExtensions(CliContext ctx, Database db, boolean reportInstalled) {
        if (db.dialect() != Dialect.POSTGRESQL) {
            return;
        }
        printExtensions(ctx, new PostgresExtensions(db).ensure(), reportInstalled);
    }

    /** What creating the extensions did: created ones on stdout, warnings on stderr. */
    static void printExtensions(CliContext ctx, List<PostgresExtensions.Outcome> outcomes, boolean reportInstalled) {
        for (PostgresExtensions.Outcome outcome : outcomes) {
            switch (outcome.result()) {
                case CREATED -> ctx.out().println("Created extension " + outcome.name() + ".");
                case ALREADY_INSTALLED -> {
                    if (reportInstalled) {
                        ctx.out().println("Extension " + outcome.name() + " is already installed.");
                    }
                }
                default -> ctx.err().println("warning: extension " + outcome.name() + ": " + outcome.detail());
            }
        }
    }

    static void printApplied(CliContext ctx, List<AppliedMigration> applied) {
        for (AppliedMigration m : applied) {
            ctx.out().println("Applied migration " + m.version() + ": " + m.description() + " ("
                    + m.executionTime().toMillis() + " ms)");
        }
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static void printJson(CliContext ctx, Object value) {
        JsonOutput.print(ctx.out(), value);
    }
}
