package com.casarerpa.orchestrator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering of STYLE.md and docs/architecture.md, checked on the compiled classes with
 * ArchUnit (every dependency the bytecode has: imports, signatures, fully qualified names):
 * {@code error} (the exception root) and {@code domain} use nothing of ours but {@code error},
 * and no framework; {@code workflow} (a workflow's JSON) and {@code cron} (cron text) add Jackson
 * and cron-utils above the domain, {@code paging} (pages and their cursors) stands alone;
 * {@code store} and {@code service} never reach up into the web, CLI or wiring, and the store
 * never into the services; {@code api} and {@code ws} never use each other, nor the store (they
 * go through the services); {@code metrics} sits beside the services (events and store below it;
 * the services, loops and transports never under it); only {@code app} (and the CLI's start
 * command through it) knows every part; no two packages depend on each other.
 */
class ArchitectureTest {
    private static final String ROOT = "com.casarerpa.orchestrator";
    private static final Path SOURCES = Path.of("src/main/java/com/casarerpa/orchestrator");
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** What each package must not use (of ours). */
    private static final Map<String, Set<String>> FORBIDDEN = Map.ofEntries(
            Map.entry("error", Set.of("domain", "workflow", "cron", "paging", "config", "store", "service", "api", "ws", "cli", "app",
                    "scheduler", "metrics")),
            Map.entry("domain", Set.of("workflow", "cron", "paging", "config", "store", "service", "api", "ws", "cli", "app", "scheduler",
                    "metrics")),
            Map.entry("workflow", Set.of("cron", "paging", "config", "store", "service", "api", "ws", "cli", "app", "scheduler",
                    "metrics")),
            Map.entry("cron", Set.of("workflow", "paging", "config", "store", "service", "api", "ws", "cli", "app", "scheduler",
                    "metrics")),
            Map.entry("paging", Set.of("domain", "workflow", "cron", "config", "store", "service", "api", "ws", "cli", "app",
                    "scheduler", "metrics")),
            Map.entry("config", Set.of("domain", "workflow", "cron", "paging", "store", "service", "api", "ws", "cli", "app",
                    "scheduler", "metrics")),
            // the server's certificate: its files and Jetty's SSL context, nothing of the server's parts
            Map.entry("tls", Set.of("domain", "workflow", "cron", "paging", "store", "service", "api", "ws", "cli", "app",
                    "scheduler", "metrics", "events")),
            Map.entry("store", Set.of("service", "api", "ws", "cli", "app", "scheduler", "metrics")),
            Map.entry("service", Set.of("api", "ws", "cli", "app")),
            Map.entry("scheduler", Set.of("api", "ws", "cli", "app")),
            // beside the services: counts the change events, reads the store's gauge queries; the
            // transports and the loops call it, it calls none of them (nor the services)
            Map.entry("metrics", Set.of("service", "scheduler", "api", "ws", "cli", "app")),
            Map.entry("api", Set.of("store", "ws", "cli", "app", "scheduler")),
            Map.entry("ws", Set.of("store", "api", "cli", "app")),
            // the change-event bus sits under the stores that publish on it
            Map.entry("events", Set.of("workflow", "cron", "paging", "config", "store", "service", "api", "ws", "cli", "app",
                    "scheduler", "metrics")));

    /** Frameworks the domain must not know: JSON, cron parsing, SQL, HTTP. */
    private static final String[] FRAMEWORKS = {"com.fasterxml..", "com.cronutils..", "org.jdbi..", "io.javalin..",
            "org.eclipse.jetty..", "java.sql..", "javax.sql..", "com.zaxxer..", "org.flywaydb..", "org.slf4j.."};

    @Test
    void packages_depend_only_downwards() {
        List<String> violations = new ArrayList<>();
        FORBIDDEN.forEach((layer, forbidden) -> violations.addAll(noClasses()
                .that().resideInAPackage(ROOT + "." + layer + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden.stream().map(p -> ROOT + "." + p + "..")
                        .toArray(String[]::new))
                .allowEmptyShould(true)
                .evaluate(CLASSES).getFailureReport().getDetails()));
        assertThat(violations).isEmpty();
    }

    @Test
    void the_domain_and_the_exception_root_use_no_framework() {
        ArchRule rule = noClasses().that().resideInAnyPackage(ROOT + ".domain..", ROOT + ".error..")
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .as("domain and error use no framework (Jackson, cron-utils, Jdbi, Javalin, JDBC, logging)");
        rule.check(CLASSES);
    }

    @Test
    void no_two_packages_depend_on_each_other() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(CLASSES);
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
