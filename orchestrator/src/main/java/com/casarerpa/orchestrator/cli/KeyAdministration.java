package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.common.cli.CommandRunner;
import com.casarerpa.orchestrator.app.Services;
import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.error.OrchestratorException;
import com.casarerpa.orchestrator.service.AccessAdministration;
import com.casarerpa.orchestrator.service.ApiKeys;
import com.casarerpa.orchestrator.service.InvalidInputException;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.store.RedisConnection;
import com.casarerpa.orchestrator.store.RedisKeyCache;
import com.casarerpa.orchestrator.store.StoreException;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs an administration command (API keys, users, folders, service accounts) against the
 * configured database directly, whether or not a server runs: that is how the first admin key or
 * admin user of a production installation is made. The command acts as the local administrator
 * ({@link com.casarerpa.orchestrator.domain.Actor#localCli()}).
 */
final class KeyAdministration {
    private KeyAdministration() {}

    static <T> T withKeys(CliContext ctx, ConfigOptions config, Function<ApiKeys, T> action) {
        return withServices(ctx, config, (services, settings) -> action.apply(services.apiKeys()));
    }

    /**
     * As {@link #withKeys}, for the access administration; what the services refuse (a bad
     * field, something absent or in the way) is one line and a non-zero exit (2 for bad input).
     */
    static <T> T withAccess(CliContext ctx, ConfigOptions config, Function<AccessAdministration, T> action) {
        return withServices(ctx, config, (services, settings) -> {
            try {
                return action.apply(services.access());
            } catch (StoreException e) {
                throw e;
            } catch (OrchestratorException e) {
                throw new CommandFailure(e.clientMessage(), e instanceof InvalidInputException ? CommandRunner.EXIT_USAGE
                        : CommandRunner.EXIT_FAILURE, e);
            }
        });
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
            if (settings.redis().isEmpty()) {
                return action.apply(Services.forCommand(db, settings), settings);
            }
            // A revocation here reaches the servers' key cache at once through Redis (or, without it, within a second).
            OrchestratorSettings.Redis r = settings.redis().get();
            try (RedisConnection redis = RedisConnection.open(r.url().reveal(), r.display(), r.keyPrefix(), r.timeout())) {
                return action.apply(Services.forCommand(db, settings, RedisKeyCache.notifying(redis)), settings);
            }
        } catch (StoreException e) {
            throw DatabaseCommands.failure(e);
        }
    }
}
