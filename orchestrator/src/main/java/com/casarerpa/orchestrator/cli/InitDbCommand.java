package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.orchestrator.store.AppliedMigration;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.FirstStart;
import com.casarerpa.orchestrator.store.MigrationStatus;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.store.StoreException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code init-db}: creates the schema of an empty database (extensions first, on PostgreSQL).
 * On a database that already has a schema it changes nothing and says so. Safe beside servers
 * starting on the same empty database: whichever comes first initialises it ({@link FirstStart}).
 */
@Command(name = "init-db", mixinStandardHelpOptions = true, description = "Create the database schema (first time; start does the same by itself on an empty database).")
final class InitDbCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    InitDbCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        try (Database db = DatabaseCommands.open(DatabaseCommands.schemaUrl(ctx, config))) {
            ctx.out().println("Database: " + db.displayUrl());
            Migrations migrations = new Migrations(db);
            Optional<FirstStart.Initialised> done = FirstStart.initialiseIfEmpty(db, migrations);
            if (done.isEmpty()) {
                reportAlreadyInitialised(migrations);
                return 0;
            }
            DatabaseCommands.printExtensions(ctx, done.get().extensions(), true);
            List<AppliedMigration> applied = done.get().applied();
            DatabaseCommands.printApplied(ctx, applied);
            ctx.out().println("Database initialised: schema version " + migrations.currentVersion().orElse("none")
                    + " (" + DatabaseCommands.count(applied.size(), "migration") + " applied).");
            return 0;
        } catch (StoreException e) {
            throw DatabaseCommands.failure(e);
        }
    }

    private void reportAlreadyInitialised(Migrations migrations) {
        String version = migrations.currentVersion().orElse("none");
        List<MigrationStatus> pending = migrations.pending();
        ctx.out().println("Database already initialised (schema version " + version + "); nothing to do.");
        if (!pending.isEmpty()) {
            ctx.out().println(DatabaseCommands.count(pending.size(), "pending migration") + " ("
                    + pending.stream().map(MigrationStatus::version).collect(Collectors.joining(", "))
                    + "); apply with: casare-rpa orchestrator migrate");
        }
    }
}
