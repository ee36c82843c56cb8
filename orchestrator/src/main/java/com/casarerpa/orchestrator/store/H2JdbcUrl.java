package com.casarerpa.orchestrator.store;

import com.casarerpa.common.config.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code jdbc:h2:} URL, used as it is except for {@code ;USER=} and {@code ;PASSWORD=}
 * settings, which are taken out so that the URL can be logged.
 */
final class H2JdbcUrl {
    private H2JdbcUrl() {}

    static DatabaseUrl parse(String url) {
        String[] parts = url.split(";");
        String location = parts[0];
        if (location.length() <= "jdbc:h2:".length()) {
            throw new InvalidDatabaseUrlException("the H2 database name is missing; expected jdbc:h2:file:/path/to/casare"
                    + " (or leave database.url unset for the embedded database)");
        }
        List<String> kept = new ArrayList<>(List.of(location));
        List<String> shown = new ArrayList<>(List.of(location));
        Optional<String> user = Optional.empty();
        Optional<Secret> password = Optional.empty();
        for (int i = 1; i < parts.length; i++) {
            String setting = parts[i];
            int eq = setting.indexOf('=');
            String key = (eq < 0 ? setting : setting.substring(0, eq)).strip().toUpperCase(Locale.ROOT);
            String value = eq < 0 ? "" : setting.substring(eq + 1);
            switch (key) {
                case "USER" -> {
                    user = Optional.of(value);
                    shown.add(setting);
                }
                case "PASSWORD" -> {
                    password = Optional.of(new Secret(value));
                    shown.add("PASSWORD=****");
                }
                default -> {
                    kept.add(setting);
                    shown.add(setting);
                }
            }
        }
        String endpoint = location.substring("jdbc:h2:".length());
        return new DatabaseUrl(Dialect.H2, String.join(";", kept), user.or(() -> Optional.of("sa")), password,
                String.join(";", shown), endpoint, Optional.empty(), Optional.empty());
    }
}
