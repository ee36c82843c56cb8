package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.orchestrator.store.AppliedMigration;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.store.StoreException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code migrate}: applies pending migrations, printing each, or says the schema is current. */
@Command(name = "migrate", mixinStandardHelpOptions = true, description = "Apply pending database migrations.")
final class MigrateCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    MigrateCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        try (Database db = DatabaseCommands.open(DatabaseCommands.schemaUrl(ctx, config))) {
            ctx.out().println("Database: " + db.displayUrl());
            Migrations migrations = new Migrations(db);
            if (migrations.pending().isEmpty()) {
                ctx.out().println("Schema is up to date at version " + migrations.currentVersion().orElse("none")
                        + "; nothing to apply.");
                return 0;
            }
            DatabaseCommands.ensureExtensions(ctx, db, false);
            List<AppliedMigration> applied = migrations.migrate();
            DatabaseCommands.printApplied(ctx, applied);
            ctx.out().println("Schema is now at version " + migrations.currentVersion().orElse("none") + " ("
                    + DatabaseCommands.count(applied.size(), "migration") + " applied).");
            return 0;
        } catch (StoreException e) {
            throw DatabaseCommands.failure(e);
        }
    }
}
