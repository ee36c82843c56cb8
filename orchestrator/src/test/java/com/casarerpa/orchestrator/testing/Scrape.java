package com.casarerpa.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of {@code /metrics}, read as Prometheus reads it: the samples by name and labels,
 * and each metric's {@code # TYPE}. {@link #value} of a sample that is not there fails the test.
 */
public record Scrape(String text, List<Sample> samples, Map<String, String> types) {
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    public static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    /** A sample: its series name, its labels, its value. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    public static Scrape of(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                String series = line.substring(0, space);
                int brace = series.indexOf('{');
                Map<String, String> labels = new LinkedHashMap<>();
                if (brace >= 0) {
                    Matcher m = LABEL.matcher(series.substring(brace));
                    while (m.find()) {
                        labels.put(m.group(1), m.group(2));
                    }
                }
                samples.add(new Sample(brace < 0 ? series : series.substring(0, brace), labels, Double.parseDouble(line.substring(space + 1))));
            }
        }
        return new Scrape(text, List.copyOf(samples), Map.copyOf(types));
    }

    /** The samples of series {@code name} whose labels include {@code labels} (name, value, name, value, …). */
    public List<Sample> find(String name, String... labels) {
        return samples.stream().filter(s -> s.name().equals(name) && matches(s.labels(), labels)).toList();
    }

    /** The one sample of {@code name} with these labels. */
    public double value(String name, String... labels) {
        List<Sample> found = find(name, labels);
        assertThat(found).as(name + " " + List.of(labels) + " in the scrape").hasSize(1);
        return found.getFirst().value();
    }

    /** As {@link #value}, 0 when the series is not there (a labelled counter that has not moved yet). */
    public double valueOrZero(String name, String... labels) {
        List<Sample> found = find(name, labels);
        return found.isEmpty() ? 0 : value(name, labels);
    }

    /** Asserts that series {@code name} with these labels grew by {@code by} since {@code before} (from 0 if it was not there). */
    public void assertMovedSince(Scrape before, double by, String name, String... labels) {
        assertThat(value(name, labels) - before.valueOrZero(name, labels)).as(name + " " + List.of(labels)).isEqualTo(by);
    }

    private static boolean matches(Map<String, String> have, String[] want) {
        for (int i = 0; i < want.length; i += 2) {
            if (!want[i + 1].equals(have.get(want[i]))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs {@code promtool check metrics} on this text and fails with its words when it does not
     * accept it. promtool comes with Debian's {@code prometheus} package.
     */
    public void assertPromtoolAccepts() throws IOException, InterruptedException {
        assertThat(Files.isExecutable(PROMTOOL)).as(PROMTOOL + " is missing: install it with 'apt-get install prometheus'"
                + " (Debian's prometheus package has promtool)").isTrue();
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("promtool ended").isTrue();
        assertThat(p.exitValue()).as("promtool check metrics said:\n" + said).isZero();
    }
}
