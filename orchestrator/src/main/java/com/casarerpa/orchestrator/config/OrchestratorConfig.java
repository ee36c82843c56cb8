package com.casarerpa.orchestrator.config;

import com.casarerpa.common.cli.CliContext;
import com.casarerpa.common.config.ConfigLoader;
import com.casarerpa.common.config.ResolvedConfig;
import com.casarerpa.common.config.YamlConfigFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the orchestrator's configuration. Precedence: flags > environment > YAML file > defaults;
 * the keys, their variables and defaults are in {@link OrchestratorSchema} and
 * docs/configuration.md.
 */
public final class OrchestratorConfig {
    /** Read when it exists and no {@code --config} is given; relative to the working directory. */
    public static final Path DEFAULT_FILE = Path.of("config", "orchestrator.yaml");

    private OrchestratorConfig() {}

    /**
     * @param ctx           environment and working directory
     * @param configFile    an explicit {@code --config FILE} (must exist), or empty for the
     *                      default {@code config/orchestrator.yaml} (optional)
     * @param flagOverrides values from command-line flags keyed by dotted path
     *                      ({@code orchestrator.port} → {@code "8080"}); an empty value counts as unset
     * @throws com.casarerpa.common.config.ConfigException naming the key that is wrong (or the
     *         file, for a missing file or a YAML syntax error); never containing a secret
     * @throws IllegalArgumentException for a flag override of a key that does not exist
     */
    public static LoadedConfig load(CliContext ctx, Optional<Path> configFile, Map<String, String> flagOverrides) {
        OrchestratorSchema keys = new OrchestratorSchema(ctx.workingDir());
        Optional<Path> file = YamlConfigFile.locate(configFile.map(ctx::resolve), ctx.resolve(DEFAULT_FILE));
        Optional<YamlConfigFile> yaml = file.map(f -> YamlConfigFile.read(f, keys.schema()));
        ResolvedConfig resolved = new ConfigLoader(keys.schema()).load(flagOverrides, ctx.env(), yaml);
        List<LoadedConfig.Entry> entries = resolved.values().stream()
                .map(v -> new LoadedConfig.Entry(v.path(), v.display(), LoadedConfig.Source.valueOf(v.source().name()), v.origin(),
                        v.variables()))
                .toList();
        return new LoadedConfig(keys.settings(resolved), entries, file);
    }
}
