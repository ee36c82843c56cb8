package com.casarerpa.common.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Merges the sources of configuration into one {@link ResolvedConfig}. For each key of the
 * schema the first source that has a value wins: a flag, then the key's named environment
 * variables, then its generic variable ({@code CASARE_QUEUE_MAX_RETRIES}), then the YAML file,
 * then the default. An empty or blank value counts as unset at every source.
 *
 * <p>Only the winning value is expanded ({@code ${VAR}}) and parsed. So a file that says
 * {@code url: ${DATABASE_URL}} is fine when the URL comes from a flag or another variable, and
 * a value that is overridden cannot fail the start-up. A file value that takes its value from the
 * very variable that won ({@code secret_key: ${ORCHESTRATOR_SECRET_KEY}}, where that variable is
 * also the key's own) is credited to the file, with the variable: both are where it came from.
 *
 * <p>Errors are {@link ConfigException}s that start with the key's path and say where the bad
 * value came from: {@code queue.max_retries: expected an integer >= 0, got "three" (from
 * environment variable CASARE_QUEUE_MAX_RETRIES)}. A secret's value is never quoted.
 */
public final class ConfigLoader {
    private final ConfigSchema schema;

    public ConfigLoader(ConfigSchema schema) {
        this.schema = schema;
    }

    /**
     * @param flags values from the command line by dotted path; a path the schema does not know is
     *              a programming error ({@link IllegalArgumentException})
     * @param env   the process environment (read for named and generic variables and for
     *              {@code ${VAR}} references)
     * @param file  the YAML file, when there is one
     */
    public ResolvedConfig load(Map<String, String> flags, Map<String, String> env, Optional<YamlConfigFile> file) {
        for (String path : flags.keySet()) {
            if (schema.setting(path).isEmpty()) {
                throw new IllegalArgumentException("flag override for unknown setting " + path);
            }
        }
        VariableSubstitution substitution = new VariableSubstitution(env);
        List<ResolvedValue<?>> values = new ArrayList<>();
        for (Setting<?> setting : schema.settings()) {
            values.add(resolve(setting, flags, env, file, substitution));
        }
        return new ResolvedConfig(values);
    }

    private <T> ResolvedValue<T> resolve(Setting<T> setting, Map<String, String> flags, Map<String, String> env,
            Optional<YamlConfigFile> file, VariableSubstitution substitution) {
        String flag = flags.get(setting.path());
        if (isSet(flag)) {
            return parse(setting, flag, ValueSource.FLAG, setting.flag().orElse("command line"), List.of());
        }
        for (String name : schema.envVars(setting)) {
            String value = env.get(name);
            if (isSet(value)) {
                return sameInFile(setting, file, substitution, name, value)
                        .orElseGet(() -> parse(setting, value, ValueSource.ENVIRONMENT, name, List.of()));
            }
        }
        Optional<ResolvedValue<T>> written = fromFile(setting, file, substitution);
        if (written.isPresent()) {
            return written.get();
        }
        if (setting.defaultText().isPresent()) {
            return parse(setting, setting.defaultText().get(), ValueSource.DEFAULT, "", List.of());
        }
        return new ResolvedValue<>(setting, Optional.empty(), Optional.empty(), ValueSource.DEFAULT, "");
    }

    /** The file's value, expanded and parsed; empty when the file has none or it expands to nothing. */
    private <T> Optional<ResolvedValue<T>> fromFile(Setting<T> setting, Optional<YamlConfigFile> file,
            VariableSubstitution substitution) {
        Optional<YamlConfigFile.Value> written = file.map(f -> f.values().get(setting.path()));
        if (written.isEmpty()) {
            return Optional.empty();
        }
        String origin = file.get().origin(setting.path());
        YamlConfigFile.Value value = written.get();
        VariableSubstitution.Expansion expansion = value.expandable()
                ? substitution.substitute(value.text(), setting.path() + " (" + origin + ")")
                : new VariableSubstitution.Expansion(value.text(), List.of());
        return isSet(expansion.text())
                ? Optional.of(parse(setting, expansion.text(), ValueSource.FILE, origin, expansion.variables()))
                : Optional.empty();
    }

    /**
     * The file's value when it takes the winning variable's value through {@code ${…}}, as the
     * specification writes {@code secret_key: ${ORCHESTRATOR_SECRET_KEY}}: both routes give the
     * same value, and the file's line says why it is there.
     */
    private <T> Optional<ResolvedValue<T>> sameInFile(Setting<T> setting, Optional<YamlConfigFile> file,
            VariableSubstitution substitution, String variable, String value) {
        boolean refers = file.map(f -> f.values().get(setting.path()))
                .filter(v -> v.expandable() && v.text().contains("${" + variable)).isPresent();
        if (!refers) {
            return Optional.empty();
        }
        try {
            return fromFile(setting, file, substitution)
                    .filter(v -> v.variables().contains(variable) && v.text().orElse("").equals(value.strip()));
        } catch (ConfigException e) {
            return Optional.empty(); // the variable wins anyway; an overridden value cannot fail the start-up
        }
    }

    private static <T> ResolvedValue<T> parse(Setting<T> setting, String text, ValueSource source, String origin,
            List<String> variables) {
        try {
            T value = setting.type().parse(text.strip());
            return new ResolvedValue<>(setting, Optional.of(value), Optional.of(text.strip()), source, origin, variables);
        } catch (IllegalArgumentException e) {
            if (source == ValueSource.DEFAULT) {
                throw new IllegalStateException("the default of " + setting.path() + " is invalid", e);
            }
            String got = setting.secret() ? "a value that is not shown because the key is secret" : quote(text.strip());
            throw new ConfigException(setting.path() + ": expected " + setting.type().description() + ", got " + got
                    + " (from " + source.describe(ResolvedValue.where(origin, variables)) + ")");
        }
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static String quote(String text) {
        String shown = text.length() > 80 ? text.substring(0, 77) + "..." : text;
        return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
