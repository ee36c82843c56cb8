package com.casarerpa.orchestrator.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series of docs/monitoring.md's tables (section "The series"), read from the document, so
 * that a series renamed on one side only fails a test: the endpoint's output must have each one
 * ({@link #series}), and the dashboard and the alert rules may name no other ({@link #notInCatalogue}).
 */
final class MonitoringCatalogue {
    static final Path DOCUMENT = Path.of("..", "docs", "monitoring.md");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary");

    private MonitoringCatalogue() {}

    /**
     * The rows that name one series of one type (not a family such as {@code jvm_*}, nor a row of
     * several, such as the pool's): name → the Prometheus type its {@code # TYPE} line must say.
     */
    static Map<String, String> series() {
        Map<String, String> out = new LinkedHashMap<>();
        all().forEach((name, type) -> {
            if (TYPES.contains(type) && !name.contains("*")) {
                out.put(name, type);
            }
        });
        if (out.size() < 20) {
            throw new IllegalStateException(DOCUMENT + " lists only " + out.size() + " series: has its table layout changed?");
        }
        return out;
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

    /** Every name in the first column of the section's tables, in order, with its type column as written. */
    static Map<String, String> all() {
        try {
            Map<String, String> out = new LinkedHashMap<>();
            Pattern code = Pattern.compile("`([^`]+)`");
            boolean inSeries = false;
            for (String line : Files.readAllLines(DOCUMENT)) {
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
