package com.casarerpa.orchestrator.store;

import com.casarerpa.common.config.Secret;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * A {@code jdbc:postgresql:} URL, validated by the driver's own parser. {@code user} and
 * {@code password} parameters are taken out of the URL so that it can be logged.
 */
final class PostgresJdbcUrl {
    private PostgresJdbcUrl() {}

    static DatabaseUrl parse(String url) {
        Properties parsed = Driver.parseURL(url, null);
        if (parsed == null) {
            throw new InvalidDatabaseUrlException("not a valid jdbc:postgresql URL; expected"
                    + " jdbc:postgresql://host:5432/database?user=…&password=…");
        }
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        List<String> kept = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        Optional<String> user = Optional.empty();
        Optional<Secret> password = Optional.empty();
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                switch (key) {
                    case "user" -> user = Optional.of(value);
                    case "password" -> password = Optional.of(new Secret(value));
                    default -> {
                        kept.add(pair);
                        shown.add(pair);
                    }
                }
            }
        }
        String jdbc = base + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        user.ifPresent(u -> shown.add("user=" + PostgresUri.encode(u)));
        password.ifPresent(p -> shown.add("password=****"));
        String display = base + (shown.isEmpty() ? "" : "?" + String.join("&", shown));

        String[] hosts = parsed.getProperty("PGHOST", "localhost").split(",");
        String[] ports = parsed.getProperty("PGPORT", String.valueOf(PostgresUri.DEFAULT_PORT)).split(",");
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < hosts.length; i++) {
            endpoints.add(hosts[i] + ":" + (i < ports.length ? ports[i] : ports[ports.length - 1]));
        }
        Optional<String> database = Optional.ofNullable(parsed.getProperty("PGDBNAME")).filter(s -> !s.isEmpty());
        return new DatabaseUrl(Dialect.POSTGRESQL, jdbc, user, password, display, String.join(",", endpoints),
                database, Optional.empty());
    }
}
