package com.casarerpa.orchestrator.config;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.config.Secret;
import com.casarerpa.common.logging.LoggingSettings;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the orchestrator's configuration. Precedence: flags > environment > YAML file > defaults.
 * PLACEHOLDER: only defaults, DATABASE_URL and CASARE_DATA_DIR; replaced by the full loader.
 */
public final class OrchestratorConfig {
    private OrchestratorConfig() {}

    /**
     * @param ctx           environment and working directory
     * @param configFile    an explicit {@code --config FILE} (must exist), or empty for the
     *                      default {@code config/orchestrator.yaml} (optional)
     * @param flagOverrides values from command-line flags keyed by dotted path
     *                      ({@code orchestrator.port} → {@code "8080"})
     * @throws com.casarerpa.common.config.ConfigException naming the key that is wrong
     */
    public static LoadedConfig load(CliContext ctx, Optional<Path> configFile, Map<String, String> flagOverrides) {
        Optional<Secret> url = Optional.ofNullable(ctx.env().get("DATABASE_URL")).filter(s -> !s.isBlank()).map(Secret::new);
        Path dataDir = ctx.resolve(Path.of(ctx.env().getOrDefault("CASARE_DATA_DIR", "data")));
        var settings = new OrchestratorSettings(
                new OrchestratorSettings.Server("127.0.0.1", 8000, 1, Optional.empty(), 24,
                        new OrchestratorSettings.RateLimit(100, 20)),
                new OrchestratorSettings.Database(url, 20, 10),
                new OrchestratorSettings.Queue(3, 60, 300),
                new OrchestratorSettings.Scheduler(ZoneId.of("UTC"), 100),
                LoggingSettings.defaults(),
                dataDir,
                Optional.empty(),
                Optional.empty());
        return new LoadedConfig(settings, List.of());
    }
}
