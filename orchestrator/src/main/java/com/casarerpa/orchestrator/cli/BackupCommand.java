package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.EmbeddedBackup;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.store.StoreException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code backup [--output FILE]}: a consistent copy of the embedded database, taken while the
 * server runs (through H2's AUTO_SERVER) or not, with the password and signing key files it
 * needs ({@link EmbeddedBackup}). PostgreSQL is backed up with pg_dump; the command says how.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Back up the embedded database to one zip file, also while the server runs (restore with: restore FILE).",
                "For PostgreSQL use pg_dump (docs/operations.md, \"Backup and restore\")."})
final class BackupCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    @Option(names = {"--output", "-o"}, paramLabel = "FILE",
            description = "Zip file to write; must not exist (default: casare-backup-<UTC date-time>.zip here). Readable only by"
                    + " this account: it holds the database and its password.")
    Path output;

    BackupCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        DatabaseUrl url = DatabaseCommands.url(ctx, config);
        if (!url.isEmbedded()) {
            String db = url.databaseName().orElse("casare");
            throw new CommandFailure("backup is for the embedded database; " + url.display() + " is PostgreSQL: back it up with"
                    + " pg_dump (e.g. pg_dump -h HOST -U USER " + db + " > backup.sql), see docs/operations.md");
        }
        Path target = ctx.resolve(output != null ? output
                : Path.of("casare-backup-" + LocalDateTime.now(ZoneOffset.UTC).format(STAMP) + ".zip"));
        try (Database db = DatabaseCommands.open(url)) {
            String version = new Migrations(db).currentVersion().orElse("none");
            EmbeddedBackup.Written written = EmbeddedBackup.write(db, target);
            ctx.out().println("Backed up " + db.displayUrl() + " (schema version " + version + ") to " + written.path());
            ctx.out().println("Contains: " + String.join(", ", written.files()) + ". Keep it private: it holds the database"
                    + " and its password.");
            return 0;
        } catch (StoreException e) {
            throw DatabaseCommands.failure(e);
        }
    }
}
