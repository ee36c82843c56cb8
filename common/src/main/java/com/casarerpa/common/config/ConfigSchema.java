package com.casarerpa.common.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The keys a program accepts, in the order they are shown. Sections ({@code orchestrator},
 * {@code orchestrator.rate_limit}) are the proper prefixes of the keys' paths; anything else in a
 * file is an unknown key.
 *
 * @see ConfigLoader
 */
public final class ConfigSchema {
    private final String envPrefix;
    private final Map<String, Setting<?>> settings = new LinkedHashMap<>();
    private final Set<String> sections = new LinkedHashSet<>();

    /**
     * @param envPrefix prefix of the generic variable of every key: with {@code CASARE_},
     *                  {@code queue.max_retries} is also read from {@code CASARE_QUEUE_MAX_RETRIES}
     */
    public ConfigSchema(String envPrefix, Collection<Setting<?>> settings) {
        this.envPrefix = envPrefix;
        for (Setting<?> s : settings) {
            if (this.settings.putIfAbsent(s.path(), s) != null) {
                throw new IllegalArgumentException("setting declared twice: " + s.path());
            }
            String path = s.path();
            for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
                sections.add(path.substring(0, dot));
            }
        }
        for (String section : sections) {
            if (this.settings.containsKey(section)) {
                throw new IllegalArgumentException(section + " is both a setting and a section");
            }
        }
    }

    public List<Setting<?>> settings() {
        return List.copyOf(settings.values());
    }

    public Optional<Setting<?>> setting(String path) {
        return Optional.ofNullable(settings.get(path));
    }

    public boolean isSection(String path) {
        return sections.contains(path);
    }

    /** The generic variable of a key: prefix + path in upper case, dots as underscores. */
    public String genericEnvVar(Setting<?> setting) {
        return envPrefix + setting.path().toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** Every variable that sets {@code setting}, highest precedence first. */
    public List<String> envVars(Setting<?> setting) {
        List<String> names = new ArrayList<>(setting.envVars());
        String generic = genericEnvVar(setting);
        if (!names.contains(generic)) {
            names.add(generic);
        }
        return names;
    }

    /** The known keys under {@code section} (or at the top level when empty), for "did you mean". */
    public List<String> keysUnder(String section) {
        String prefix = section.isEmpty() ? "" : section + ".";
        List<String> keys = new ArrayList<>();
        for (String path : settings.keySet()) {
            if (path.startsWith(prefix)) {
                String rest = path.substring(prefix.length());
                int dot = rest.indexOf('.');
                String key = dot < 0 ? rest : rest.substring(0, dot);
                if (!keys.contains(key)) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }
}
