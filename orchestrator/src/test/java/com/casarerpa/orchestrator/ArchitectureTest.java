package com.casarerpa.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering of STYLE.md, checked on the sources: {@code domain} imports nothing of ours;
 * {@code store} and {@code service} never reach up into the web, CLI or wiring; {@code api} and
 * {@code ws} never import each other; only {@code app} (and the CLI's start command through it)
 * knows every part.
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src/main/java/com/casarerpa/orchestrator");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?com\\.casarerpa\\.orchestrator\\.([a-z]+)\\.", Pattern.MULTILINE);

    private static final Map<String, Set<String>> FORBIDDEN = Map.of(
            "domain", Set.of("config", "store", "service", "api", "ws", "cli", "app", "scheduler"),
            "config", Set.of("domain", "store", "service", "api", "ws", "cli", "app", "scheduler"),
            "store", Set.of("api", "ws", "cli", "app", "scheduler"),
            "service", Set.of("api", "ws", "cli", "app"),
            "scheduler", Set.of("api", "ws", "cli", "app"),
            "api", Set.of("ws", "cli", "app", "scheduler"),
            "ws", Set.of("api", "cli", "app"),
            // the change-event bus sits under the stores that publish on it
            "events", Set.of("config", "store", "service", "api", "ws", "cli", "app", "scheduler"));

    @Test
    void packages_depend_only_downwards() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String layer = SOURCES.relativize(file).getName(0).toString();
                Set<String> forbidden = FORBIDDEN.getOrDefault(layer, Set.of());
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    if (forbidden.contains(m.group(1))) {
                        violations.add(SOURCES.relativize(file) + " imports " + m.group(1));
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    /**
     * Database calls run on virtual threads (robot messages, the report writer): a JDBC call
     * under {@code synchronized} would pin the carrier thread while it waits, so code that talks
     * to the database serialises with a {@link java.util.concurrent.locks.ReentrantLock} instead.
     */
    @Test
    void no_monitor_is_held_around_database_calls() throws IOException {
        Pattern comment = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
        Pattern monitor = Pattern.compile("\\bsynchronized\\b");
        List<String> violations = new ArrayList<>();
        for (String layer : List.of("store", "service")) {
            try (Stream<Path> files = Files.walk(SOURCES.resolve(layer))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String code = comment.matcher(Files.readString(file)).replaceAll("");
                    if (monitor.matcher(code).find()) {
                        violations.add(SOURCES.relativize(file).toString());
                    }
                }
            }
        }
        assertThat(violations).as("synchronized in code that calls the database").isEmpty();
    }

    @Test
    void the_layers_exist_where_the_test_looks() {
        assertThat(SOURCES.resolve("domain")).isDirectory();
        assertThat(SOURCES.resolve("api")).isDirectory();
    }
}
