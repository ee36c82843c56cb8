package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.MigrationStatus;
import com.casarerpa.orchestrator.store.MigrationStatus.State;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.store.StoreException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code db-status}: every migration and its state, as a table or as JSON. */
@Command(name = "db-status", mixinStandardHelpOptions = true, description = "Show applied and pending database migrations.")
final class DbStatusCommand implements Callable<Integer> {
    private static final String[] HEADERS = {"VERSION", "DESCRIPTION", "STATE", "INSTALLED ON"};

    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    DbStatusCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        try (Database db = DatabaseCommands.open(DatabaseCommands.schemaUrl(ctx, config))) {
            Migrations migrations = new Migrations(db);
            List<MigrationStatus> all = migrations.status();
            Optional<String> current = migrations.currentVersion();
            if (json) {
                DatabaseCommands.printJson(ctx, toJson(db, all, current));
            } else {
                ctx.out().println("Database: " + db.displayUrl());
                printTable(ctx.out(), all);
                ctx.out().println(summary(all, current));
            }
            return 0;
        } catch (StoreException e) {
            throw DatabaseCommands.failure(e);
        }
    }

    private static Map<String, Object> toJson(Database db, List<MigrationStatus> all, Optional<String> current) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (MigrationStatus m : all) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("version", m.version());
            row.put("description", m.description());
            row.put("state", m.state().label());
            row.put("installed_on", m.installedOn().map(Instant::toString).orElse(null));
            rows.add(row);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("database", db.displayUrl());
        result.put("dialect", db.dialect().productName());
        result.put("initialised", current.isPresent());
        result.put("current_version", current.orElse(null));
        result.put("pending", count(all, State.PENDING));
        result.put("failed", count(all, State.FAILED));
        result.put("migrations", rows);
        return result;
    }

    private static void printTable(PrintWriter out, List<MigrationStatus> all) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (MigrationStatus m : all) {
            rows.add(new String[] {
                m.version(), m.description(), m.state().label(),
                m.installedOn().map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("-")});
        }
        int[] widths = new int[HEADERS.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String summary(List<MigrationStatus> all, Optional<String> current) {
        long pending = count(all, State.PENDING);
        long failed = count(all, State.FAILED);
        StringBuilder s = new StringBuilder();
        if (current.isEmpty()) {
            s.append("Database not initialised: ").append(DatabaseCommands.count((int) pending, "pending migration"))
                    .append("; create the schema with: casare-rpa orchestrator init-db");
        } else {
            s.append("Schema version ").append(current.get()).append(", ")
                    .append(DatabaseCommands.count((int) pending, "pending migration"));
            if (pending > 0) {
                s.append("; apply with: casare-rpa orchestrator migrate");
            }
        }
        if (failed > 0) {
            s.append(". ").append(DatabaseCommands.count((int) failed, "failed migration"))
                    .append(": undo its half-applied changes by hand, then remove its row from flyway_schema_history");
        }
        return s.append('.').toString();
    }

    private static long count(List<MigrationStatus> all, State state) {
        return all.stream().filter(m -> m.state() == state).count();
    }
}
