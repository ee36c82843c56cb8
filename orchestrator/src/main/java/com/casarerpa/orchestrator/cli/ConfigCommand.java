package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.cli.TextTable;
import com.casarerpa.orchestrator.config.LoadedConfig;
import com.casarerpa.orchestrator.config.OrchestratorConfig;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code casare-rpa orchestrator config}: the effective configuration, each key with its value
 * (secrets masked) and where the value came from. Reads the configuration only; connects to
 * nothing, so it also works when the database is down.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the effective configuration and where each value comes from (secrets masked).")
final class ConfigCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Indented, with {@code "key": value} rather than Jackson's default {@code "key" : value}. */
    private static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter().withSeparators(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));

    private final CliContext ctx;

    @Mixin
    ConfigOptions config;

    @Option(names = "--json", description = "Print JSON instead of the table, for scripts.")
    boolean json;

    ConfigCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws JsonProcessingException {
        LoadedConfig loaded = config.load(ctx);
        if (json) {
            ctx.out().println(PRETTY.writeValueAsString(toJson(loaded)));
        } else {
            printTable(loaded);
        }
        return 0;
    }

    private void printTable(LoadedConfig loaded) {
        ctx.out().println("Configuration file: " + loaded.configFile().map(Object::toString)
                .orElse("none (" + OrchestratorConfig.DEFAULT_FILE + " not found; use --config FILE to name one)"));
        ctx.out().println();
        TextTable table = new TextTable("key", "value", "source");
        for (LoadedConfig.Entry e : loaded.entries()) {
            String value = e.value().isEmpty() ? unset(e.key(), loaded) : e.value();
            String source = e.source().label() + (e.origin().isEmpty() ? "" : " (" + e.where() + ")");
            table.row(e.key(), value, source);
        }
        table.print(ctx.out());
    }

    private static String unset(String key, LoadedConfig loaded) {
        return switch (key) {
            case "database.url" -> "(not set: embedded H2 database in " + loaded.settings().dataDir() + ")";
            case "orchestrator.api_url" -> "(not set: auto-detect)";
            default -> "(not set)";
        };
    }

    private static ObjectNode toJson(LoadedConfig loaded) {
        ObjectNode root = JSON.createObjectNode();
        root.put("config_file", loaded.configFile().map(Object::toString).orElse(null));
        ObjectNode settings = root.putObject("settings");
        for (LoadedConfig.Entry e : loaded.entries()) {
            ObjectNode entry = settings.putObject(e.key());
            entry.put("value", e.value().isEmpty() ? null : e.value());
            entry.put("source", e.source().label());
            entry.put("origin", e.origin().isEmpty() ? null : e.origin());
            e.variables().forEach(entry.withArray("variables")::add);
        }
        return root;
    }
}
