package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.orchestrator.app.Services;
import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.service.ApiKeys;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.store.StoreException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs an API-key or user command against the configured database directly (whether or not a server
 * runs: that is how the first admin key or admin user of a production installation is made).
 */
final class KeyAdministration {
    private KeyAdministration() {}

    static <T> T withKeys(CliContext ctx, ConfigOptions config, Function<ApiKeys, T> action) {
        return withServices(ctx, config, (services, settings) -> action.apply(services.apiKeys()));
    }

    /** Runs {@code action} on the services of the configured database, which must have the current schema. */
    static <T> T withServices(CliContext ctx, ConfigOptions config, BiFunction<Services, OrchestratorSettings, T> action) {
        OrchestratorSettings settings = config.loadForCommand(ctx).settings();
        try (Database db = DatabaseCommands.open(DatabaseUrl.of(settings))) {
            Migrations migrations = new Migrations(db);
            if (!migrations.isInitialised()) {
                throw new CommandFailure("the database " + db.displayUrl()
                        + " has no schema yet; create it first with: casare-rpa orchestrator init-db");
            }
            migrations.requireCurrent();
            return action.apply(Services.forCommand(db, settings), settings);
        } catch (StoreException e) {
            throw DatabaseCommands.failure(e);
        }
    }

}
