package com.casarerpa.orchestrator.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series of docs/monitoring.md's tables, read from the document, so that a series renamed
 * on one side only fails a test: each row that names one series, with the Prometheus type its
 * {@code # TYPE} line must say.
 */
final class MonitoringCatalogue {
    static final Path DOCUMENT = Path.of("..", "docs", "monitoring.md");
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z_]+)` \\| (counter|gauge|histogram|summary)\\b", Pattern.MULTILINE);

    private MonitoringCatalogue() {}

    /** Series name → type, in the document's order. */
    static Map<String, String> series() {
        String text;
        try {
            text = Files.readString(DOCUMENT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ROW.matcher(text);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        if (out.size() < 20) {
            throw new IllegalStateException(DOCUMENT + " lists only " + out.size() + " series: has its table layout changed?");
        }
        return out;
    }
}
