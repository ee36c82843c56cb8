package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.logging.LogSetup;
import com.casarerpa.common.logging.LogTarget;
import com.casarerpa.common.logging.LoggingSettings;
import com.casarerpa.orchestrator.config.LoadedConfig;
import com.casarerpa.orchestrator.config.OrchestratorConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.event.Level;
import picocli.CommandLine.Option;

/** The options every orchestrator command shares: which configuration file, and debug output. */
public final class ConfigOptions {
    public static final String KEEP_LOGGING = "casare.cli.keep-logging";

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

    /**
     * Loads the configuration for an administration command and sets up its logging: warnings
     * only (DEBUG with {@code --debug}) on stderr, so the command's own output stays clean.
     * With the system property {@value #KEEP_LOGGING} set to true, the host's logging set-up is
     * left alone (for embedding the commands, and for tests that capture log events).
     */
    public LoadedConfig loadForCommand(CliContext ctx) {
        return loadForCommand(ctx, Map.of());
    }

    /** As {@link #loadForCommand(CliContext)}, with this command's own overrides by dotted key. */
    public LoadedConfig loadForCommand(CliContext ctx, Map<String, String> flags) {
        LoadedConfig loaded = load(ctx, flags);
        LoggingSettings configured = loaded.settings().logging();
        applyLogging(new LoggingSettings(debug ? Level.DEBUG : Level.WARN, configured.format(), Optional.empty()),
                LogTarget.STDERR);
        return loaded;
    }

    /** Sets up logging as configured, unless {@value #KEEP_LOGGING} says to leave it alone. */
    static void applyLogging(LoggingSettings settings, LogTarget target) {
        if (!Boolean.getBoolean(KEEP_LOGGING)) {
            LogSetup.apply(settings, target);
        }
    }
}
