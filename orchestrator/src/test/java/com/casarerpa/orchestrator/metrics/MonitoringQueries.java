package com.casarerpa.orchestrator.metrics;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL that docs/monitoring ships: every target of every panel and every template variable
 * of the Grafana dashboard, every alert rule's {@code expr}; with Grafana's variables replaced
 * by what Grafana sends for them, and the series each query names ({@link #seriesIn}), which
 * {@link MonitoringCatalogue#notInCatalogue} checks.
 */
final class MonitoringQueries {
    static final Path DOCS = Path.of("..", "docs");
    static final Path DASHBOARD = DOCS.resolve("monitoring").resolve("grafana-dashboard.json");
    static final Path ALERTS = DOCS.resolve("monitoring").resolve("alerts.yml");
    static final Path ALERT_TESTS = DOCS.resolve("monitoring").resolve("alerts.test.yml");

    /** The dashboard's variables at "All", and Grafana's built-in intervals at plausible values. */
    static final Map<String, String> VARIABLES = Map.of("job", ".+", "instance", ".+", "__rate_interval", "1m",
            "__interval", "15s", "__range", "1h");

    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{(\\w+)(?::\\w+)?}|(\\w+))");
    private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.+),\\s*\\w+\\)$");
    private static final Pattern SERIES = Pattern.compile("\\b(?:(?:casare|hikaricp|jvm|process|system)_\\w+|up)\\b");

    /** One query: where it comes from (a panel's title and target, a variable, an alert) and its PromQL. */
    record Query(String source, String panel, String expr) {
        @Override
        public String toString() {
            return source + ": " + expr;
        }
    }

    private MonitoringQueries() {}

    static JsonNode dashboard() {
        try {
            return Json.mapper().readTree(Files.readString(DASHBOARD));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel target (rows' nested panels too) and every query variable, substituted. */
    static List<Query> dashboardQueries(JsonNode dashboard) {
        List<Query> out = new ArrayList<>();
        addPanels(dashboard.path("panels"), out);
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode q = variable.path("query");
                String text = q.isObject() ? q.path("query").asText() : q.asText();
                Matcher m = LABEL_VALUES.matcher(text.strip());
                String expr = m.matches() ? m.group(1) : text;
                out.add(new Query("variable $" + variable.path("name").asText(), "", substitute(expr)));
            }
        }
        return out;
    }

    private static void addPanels(JsonNode panels, List<Query> out) {
        for (JsonNode panel : panels) {
            addPanels(panel.path("panels"), out);
            String title = panel.path("title").asText();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                if (expr.isBlank()) {
                    throw new AssertionError("panel '" + title + "' target " + target.path("refId").asText() + " has no expr");
                }
                out.add(new Query("panel '" + title + "' target " + target.path("refId").asText(), title, substitute(expr)));
            }
        }
    }

    /** Every rule of alerts.yml: its name and {@code expr}. */
    static List<Query> alertQueries() {
        try {
            JsonNode rules = new YAMLMapper().readTree(ALERTS.toFile());
            List<Query> out = new ArrayList<>();
            for (JsonNode group : rules.path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    out.add(new Query("alert " + rule.path("alert").asText(rule.path("record").asText()), "",
                            rule.path("expr").asText()));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The PromQL Grafana sends: each {@code $var} or {@code ${var}} replaced; an unknown variable fails. */
    static String substitute(String expr) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = Optional.ofNullable(VARIABLES.get(name))
                    .orElseThrow(() -> new AssertionError("unknown Grafana variable $" + name + " in " + expr));
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    /** The series names a query reads ({@code casare_*}, {@code hikaricp_*}, {@code jvm_*}, {@code process_*}, {@code up}). */
    static Set<String> seriesIn(String expr) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = SERIES.matcher(expr);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }
}
