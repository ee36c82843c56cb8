package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.CommandFailure;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseProbe;
import com.casarerpa.orchestrator.store.DatabaseUnavailableException;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Dialect;
import com.casarerpa.orchestrator.store.MigrationStatus;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.store.PostgresExtensions;
import com.casarerpa.orchestrator.store.StoreException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code check-db}: connects (at most {@link PoolSettings#CONNECTION_TIMEOUT}), and reports the
 * server, the URL (password masked), round-trip latency, extensions and pending migrations.
 * Exit 0 when it connects, even with pending migrations; 1 with one line saying why when not.
 */
@Command(name = "check-db", mixinStandardHelpOptions = true, description = "Test the database connection and report its state.")
final class CheckDbCommand implements Callable<Integer> {
    static final int ROUND_TRIPS = 5;

    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    CheckDbCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** What check-db found, before it is printed. */
    private record Report(DatabaseProbe.ServerInfo server, String url, Duration latency,
            List<PostgresExtensions.Extension> extensions, Optional<Boolean> autovacuum, Optional<String> currentVersion,
            List<MigrationStatus> pending) {}

    @Override
    public Integer call() {
        DatabaseUrl url = DatabaseCommands.url(ctx, config);
        Report report;
        try (Database db = Database.open(url, PoolSettings.forCommand())) {
            DatabaseProbe probe = new DatabaseProbe(db);
            Migrations migrations = new Migrations(db);
            report = new Report(probe.serverInfo(), db.displayUrl(), probe.roundTripLatency(ROUND_TRIPS),
                    db.dialect() == Dialect.POSTGRESQL ? new PostgresExtensions(db).inspect() : List.of(),
                    probe.autovacuum(), migrations.currentVersion(), migrations.pending());
        } catch (StoreException e) {
            if (json) {
                Map<String, Object> failed = new LinkedHashMap<>();
                failed.put("ok", false);
                failed.put("url", url.display());
                failed.put("reason", e instanceof DatabaseUnavailableException u ? u.reason().label() : "error");
                failed.put("error", e.getMessage());
                DatabaseCommands.printJson(ctx, failed);
            }
            throw new CommandFailure(e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new CommandFailure(e.getMessage(), e); // the embedded data directory cannot be created
        }
        if (json) {
            DatabaseCommands.printJson(ctx, toJson(report));
        } else {
            print(report);
        }
        return 0;
    }

    private void print(Report r) {
        var out = ctx.out();
        out.println("Connected to " + r.server().product() + " " + r.server().version());
        out.println("  url:        " + r.url());
        out.println("  latency:    " + millis(r.latency()) + " ms (median of " + ROUND_TRIPS + " round trips)");
        if (!r.extensions().isEmpty()) {
            out.println("  extensions: " + r.extensions().stream()
                    .map(e -> e.name() + " " + e.state().label() + e.version().map(v -> " (" + v + ")").orElse(""))
                    .collect(Collectors.joining(", ")));
        }
        r.autovacuum().ifPresent(on -> out.println("  autovacuum: " + (on ? "on" : "OFF (see the warning below)")));
        out.println("  schema:     " + schemaLine(r));
        if (r.autovacuum().equals(Optional.of(false))) {
            ctx.err().println("warning: " + DatabaseProbe.AUTOVACUUM_OFF + ".");
        }
    }

    private static String schemaLine(Report r) {
        int pending = r.pending().size();
        if (r.currentVersion().isEmpty()) {
            return "not initialised, " + DatabaseCommands.count(pending, "pending migration")
                    + " (run: casare-rpa orchestrator init-db)";
        }
        if (pending == 0) {
            return "version " + r.currentVersion().get() + ", up to date";
        }
        return "version " + r.currentVersion().get() + ", " + DatabaseCommands.count(pending, "pending migration")
                + " (run: casare-rpa orchestrator migrate)";
    }

    private static Map<String, Object> toJson(Report r) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("ok", true);
        result.put("database", r.server().product());
        result.put("server_version", r.server().version());
        result.put("url", r.url());
        result.put("latency_ms", millis(r.latency()));
        result.put("extensions", r.extensions().stream().map(e -> {
            Map<String, Object> ext = new LinkedHashMap<>();
            ext.put("name", e.name());
            ext.put("state", e.state().label());
            ext.put("version", e.version().orElse(null));
            return ext;
        }).toList());
        result.put("autovacuum", r.autovacuum().orElse(null));
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("initialised", r.currentVersion().isPresent());
        schema.put("current_version", r.currentVersion().orElse(null));
        schema.put("pending", r.pending().stream().map(MigrationStatus::version).toList());
        result.put("schema", schema);
        return result;
    }

    private static double millis(Duration d) {
        return Math.round(d.toNanos() / 10_000.0) / 100.0;
    }
}
