package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.orchestrator.config.LoadedConfig;
import com.casarerpa.orchestrator.config.OrchestratorConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every orchestrator command shares: which configuration file, and debug output. */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML configuration file (default: config/orchestrator.yaml when it exists).")
    Path configFile;

    @Option(names = "--debug", description = "Log at DEBUG level.")
    boolean debug;

    public boolean debug() {
        return debug;
    }

    /** Loads the configuration; {@code flags} are this command's own overrides by dotted key. */
    public LoadedConfig load(CliContext ctx, Map<String, String> flags) {
        Map<String, String> all = new LinkedHashMap<>(flags);
        if (debug) {
            all.put("logging.level", "DEBUG");
        }
        return OrchestratorConfig.load(ctx, Optional.ofNullable(configFile).map(ctx::resolve), all);
    }

    public LoadedConfig load(CliContext ctx) {
        return load(ctx, Map.of());
    }
}
