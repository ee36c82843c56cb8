package com.casarerpa.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflows in {@code examples/} are what the README and the docs tell a newcomer to deploy
 * and run: each must run on the engine with the robot's default settings, doing what its
 * description says.
 */
class ExamplesTest {
    private static final Path EXAMPLES = Path.of("..", "examples");

    @TempDir
    Path work;

    @Test
    void every_example_is_a_workflow_the_engine_accepts() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(EXAMPLES)) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("daily-report.json", "flaky-step.json", "hello.json");
        for (Path file : files) {
            assertThat(example(file.getFileName().toString()).path("metadata").path("description").asText())
                    .as("%s says what it does", file).isNotBlank();
        }
    }

    @Test
    void hello_greets_the_world_or_the_name_it_is_given() throws IOException {
        EngineHarness h = new EngineHarness(work);
        JsonNode hello = example("hello.json");

        ExecutionResult byDefault = h.run(hello, Map.of(), null, new Cancellation());
        ExecutionResult named = h.run(hello, Map.of("name", "RPA team"), null, new Cancellation());

        assertThat(byDefault.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(named.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(h.events.messages(LogLevel.INFO)).containsExactly("Hello, world!", "Hello, RPA team!");
    }

    @Test
    void daily_report_walks_the_orders_and_writes_the_report_in_the_work_dir() throws IOException {
        EngineHarness h = new EngineHarness(work);

        ExecutionResult r = h.run(example("daily-report.json"), Map.of("report_date", "2026-12-07"), null, new Cancellation());

        assertThat(r.outcome()).as("error: %s", r.error()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.variables()).containsEntry("processed", 3L);
        assertThat(Files.readString(work.resolve("reports/daily-report.txt")))
                .isEqualTo("Report for 2026-12-07: 3 orders processed.");
        assertThat(h.events.messages(LogLevel.INFO)).startsWith("order 0: A-100", "order 1: A-101", "order 2: A-102")
                .last().asString().endsWith("daily-report.txt: Report for 2026-12-07: 3 orders processed.");
    }

    @Test
    void flaky_step_succeeds_by_default_and_fails_when_asked() throws IOException {
        EngineHarness h = new EngineHarness(work);
        JsonNode flaky = example("flaky-step.json");

        ExecutionResult ok = h.run(flaky, Map.of(), null, new Cancellation());
        ExecutionResult failed = h.run(flaky, Map.of("fail", true), null, new Cancellation());

        assertThat(ok.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.error().type()).isEqualTo("PortalUnavailable");
        assertThat(failed.error().message()).contains("the portal answered 503 (simulated)");
        assertThat(failed.error().nodeId()).isEqualTo("boom");
    }

    private static JsonNode example(String name) throws IOException {
        return WorkflowBuilder.JSON.readTree(EXAMPLES.resolve(name).toFile());
    }
}
