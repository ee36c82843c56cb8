package com.casarerpa.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.CliHarness.Result;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** test-cron, deploy --trigger schedule, and schedules list|enable|disable|delete, on the database and over HTTP. */
class ScheduleCliTest {
    @TempDir
    Path work;

    private static void assertOk(Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).isEmpty();
    }

    @Test
    void test_cron_prints_the_next_fire_times_with_offset_and_weekday_across_daylight_saving() {
        Result r = CliHarness.orchestrator(Map.of(), work, "test-cron", "30 2 * * *", "--timezone", "Europe/Berlin", "--count", "3",
                "--from", "2027-03-27T00:00:00Z");

        assertOk(r);
        assertThat(r.out().lines()).containsExactly(
                "2027-03-27T02:30:00+01:00  Saturday",
                "2027-03-28T03:00:00+02:00  Sunday",
                "2027-03-29T02:30:00+02:00  Monday");
    }

    @Test
    void test_cron_refuses_a_wrong_expression_with_one_line_naming_the_field() {
        Result r = CliHarness.orchestrator(Map.of(), work, "test-cron", "0 9 * * 1-9");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1).first().asString().startsWith("error: ").contains("day-of-week");
        assertThat(r.out()).isEmpty();
        assertThat(CliHarness.orchestrator(Map.of(), work, "test-cron", "@daily", "--count", "0").exitCode()).isEqualTo(2);
    }

    @Test
    void deploy_with_a_schedule_trigger_then_list_disable_enable_and_delete_on_the_database() throws IOException {
        try (MigratedDatabase db = MigratedDatabase.h2(work.resolve("data"))) {
            Files.writeString(work.resolve("w.json"), Samples.chain("Daily Report", "a"));

            Result deployed = CliHarness.orchestrator(db.env(), work, "deploy", "w.json", "--trigger", "schedule", "--cron",
                    "0 9 * * *", "--timezone", "America/New_York");
            assertOk(deployed);
            assertThat(deployed.out()).contains("Schedule \"Daily Report\"").contains("0 9 * * * in America/New_York");

            Result list = CliHarness.orchestrator(db.env(), work, "schedules", "list");
            assertOk(list);
            assertThat(list.out()).contains("NAME").contains("Daily Report").contains("America/New_York").contains("T09:00:00-0");

            assertOk(CliHarness.orchestrator(db.env(), work, "schedules", "disable", "Daily Report"));
            JsonNode json = WorkflowJson.parse(CliHarness.orchestrator(db.env(), work, "schedules", "list", "--json").out());
            assertThat(json.at("/items/0/enabled").asBoolean()).isFalse();
            Result enabled = CliHarness.orchestrator(db.env(), work, "schedules", "enable", "Daily Report");
            assertOk(enabled);
            assertThat(enabled.out()).contains("Enabled schedule \"Daily Report\"").contains("next fire");

            assertOk(CliHarness.orchestrator(db.env(), work, "schedules", "delete", "Daily Report"));
            assertThat(CliHarness.orchestrator(db.env(), work, "schedules", "list").out()).startsWith("No schedules.");
            Result missing = CliHarness.orchestrator(db.env(), work, "schedules", "delete", "Daily Report");
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.err().lines()).hasSize(1).first().asString().contains("No schedule");
        }
    }

    /**
     * The command on the database builds its services where the server does ({@code app/Services}),
     * so it answers as the API: {@code schedules enable} used to show no next fire times, where the
     * API shows five.
     */
    @Test
    void schedules_enable_on_the_database_answers_as_the_api_does() {
        try (RunningOrchestrator server = RunningOrchestrator.postgres(work.resolve("server"))) {
            Map<String, String> admin = Map.of("X-API-Key", server.adminKey(work));
            String workflow = server.http().post("/api/v1/workflows", "{\"name\":\"Nightly\",\"workflow_data\":"
                    + Samples.chain("Nightly", "a") + "}", admin).json().get("id").asText();
            assertThat(server.http().post("/api/v1/schedules", "{\"name\":\"nightly\",\"workflow_id\":\"" + workflow
                    + "\",\"cron\":\"0 9 * * *\",\"enabled\":false}", admin).status()).isEqualTo(201);

            Result enabled = CliHarness.orchestrator(server.env(), work, "schedules", "enable", "nightly", "--json");

            assertOk(enabled);
            JsonNode fromCli = WorkflowJson.parse(enabled.out());
            assertThat(fromCli.get("next_fire_times")).hasSize(5);
            assertThat(fromCli).isEqualTo(server.http().get("/api/v1/schedules/nightly", admin).json());
        }
    }

    @Test
    void deploy_with_a_schedule_trigger_and_schedules_list_over_http() throws IOException {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(work.resolve("server"))) {
            Files.writeString(work.resolve("w.json"), Samples.chain("Remote Report", "a"));
            Map<String, String> env = new HashMap<>(Map.of("CASARE_SERVER_URL", server.url(),
                    "CASARE_API_KEY", server.orchestrator().bootstrapKey().orElseThrow()));

            assertOk(CliHarness.orchestrator(env, work, "deploy", "w.json", "--trigger", "schedule", "--cron", "@hourly"));
            Result list = CliHarness.orchestrator(env, work, "schedules", "list", "--json");

            assertOk(list);
            assertThat(WorkflowJson.parse(list.out()).at("/items/0/cron").asText()).isEqualTo("@hourly");
            assertOk(CliHarness.orchestrator(env, work, "schedules", "disable", "Remote Report"));
            assertThat(server.http().get("/api/v1/schedules/Remote%20Report", Map.of("X-API-Key", env.get("CASARE_API_KEY")))
                    .json().get("enabled").asBoolean()).isFalse();
        }
    }
}
