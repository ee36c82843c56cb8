package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.orchestrator.service.ApiKeys;
import com.casarerpa.orchestrator.store.ApiKeyStore;
import com.casarerpa.orchestrator.store.AuditStore;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.store.StoreException;
import java.time.Clock;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs an API-key command against the configured database directly (whether or not a server
 * runs: that is how the first admin key of a production installation is made).
 */
final class KeyAdministration {
    private KeyAdministration() {}

    static <T> T withKeys(CliContext ctx, ConfigOptions config, Function<ApiKeys, T> action) {
        try (Database db = DatabaseCommands.open(DatabaseCommands.url(ctx, config))) {
            Migrations migrations = new Migrations(db);
            if (!migrations.isInitialised()) {
                throw new CommandFailure("the database " + db.displayUrl()
                        + " has no schema yet; create it first with: casare-rpa orchestrator init-db");
            }
            migrations.requireCurrent();
            Clock clock = Clock.systemUTC();
            Jdbi jdbi = Jdbi3.of(db);
            return action.apply(new ApiKeys(new ApiKeyStore(jdbi), new AuditStore(jdbi, clock), clock));
        } catch (StoreException e) {
            throw DatabaseCommands.failure(e);
        }
    }

}
