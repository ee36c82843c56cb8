package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.EmbeddedBackup;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.store.StoreException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code restore FILE}: puts a backup made by {@code backup} into the data directory, which must
 * hold no database and must not be in use by a server; then opens it to show that it works.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore a backup made by the backup command into an empty data directory (CASARE_DATA_DIR;"
                + " no server may run on it).", "For PostgreSQL use psql (docs/operations.md, \"Backup and restore\")."})
final class RestoreCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    @Parameters(index = "0", paramLabel = "FILE", description = "The zip file written by backup.")
    Path archive;

    RestoreCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        DatabaseUrl url = DatabaseCommands.url(ctx, config);
        if (!url.isEmbedded()) {
            throw new CommandFailure("restore is for the embedded database; " + url.display() + " is PostgreSQL: restore a"
                    + " pg_dump file with psql into a new database (createdb, then psql -d NAME -f backup.sql), see"
                    + " docs/operations.md");
        }
        Path dataDir = url.embeddedDataDir().orElseThrow();
        try {
            EmbeddedBackup.Written written = EmbeddedBackup.restore(ctx.resolve(archive), dataDir);
            try (Database db = DatabaseCommands.open(url)) {
                String version = new Migrations(db).currentVersion().orElse("none");
                ctx.out().println("Restored " + String.join(", ", written.files()) + " into " + written.path()
                        + "; the database opens, schema version " + version + ".");
                ctx.out().println("Start the server on it: casare-rpa orchestrator start (with CASARE_DATA_DIR=" + written.path()
                        + "; add --migrate if this build is newer than the backup).");
            }
            return 0;
        } catch (StoreException e) {
            throw DatabaseCommands.failure(e);
        }
    }
}
