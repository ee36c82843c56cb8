package com.casarerpa.orchestrator.metrics;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
 * by what Grafana sends for them, and the series each query names checked against the
 * catalogue of docs/monitoring.md.
 */
final class MonitoringQueries {
    static final Path DOCS = Path.of("..", "docs");
    static final Path DASHBOARD = DOCS.resolve("monitoring").resolve("grafana-dashboard.json");
    static final Path ALERTS = DOCS.resolve("monitoring").resolve("alerts.yml");
    static final Path ALERT_TESTS = DOCS.resolve("monitoring").resolve("alerts.test.yml");
    static final Path CATALOGUE = MonitoringCatalogue.DOCUMENT;

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

    /**
     * Why {@code name} is not a series of the catalogue (empty when it is): the first column of
     * its tables names each series (a {@code _x} continues the name before it, {@code jvm_*} is a
     * family); a {@code _bucket} needs a histogram, a {@code _sum} or {@code _count} a histogram
     * or a summary. Prometheus' own {@code up} is always there.
     */
    static Optional<String> notInCatalogue(String name, Map<String, String> catalogue) {
        if (name.equals("up") || catalogue.containsKey(name)) {
            return Optional.empty();
        }
        for (String family : catalogue.keySet()) {
            if (family.endsWith("_*") && name.startsWith(family.substring(0, family.length() - 1))) {
                return Optional.empty();
            }
        }
        Matcher m = Pattern.compile("(.+)_(bucket|sum|count)").matcher(name);
        if (m.matches() && catalogue.containsKey(m.group(1))) {
            String type = catalogue.get(m.group(1));
            boolean fits = type.contains("histogram") || (!m.group(2).equals("bucket") && type.contains("summary"));
            return fits ? Optional.empty() : Optional.of(name + ": " + m.group(1) + " is a " + type + ", it has no _" + m.group(2));
        }
        return Optional.of(name + " is not in the catalogue of docs/monitoring.md");
    }

    /** The catalogue (section "The series" of docs/monitoring.md): each series name with its type column. */
    static Map<String, String> catalogue() {
        try {
            Map<String, String> out = new HashMap<>();
            Pattern code = Pattern.compile("`([^`]+)`");
            boolean inSeries = false;
            for (String line : Files.readAllLines(CATALOGUE)) {
                if (line.startsWith("## ")) {
                    inSeries = line.equals("## The series");
                }
                String[] cells = line.split("\\|");
                if (!inSeries || !line.startsWith("| `") || cells.length < 3) {
                    continue;
                }
                String prefix = "";
                Matcher m = code.matcher(cells[1]);
                while (m.find()) {
                    String name = m.group(1).startsWith("_") ? prefix + m.group(1) : m.group(1);
                    prefix = name.substring(0, Math.max(0, name.lastIndexOf('_')));
                    out.put(name, cells[2].strip());
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
