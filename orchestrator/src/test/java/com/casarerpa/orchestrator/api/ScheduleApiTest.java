package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.MutableClock;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/schedules} on a whole server whose clock the test moves: the scheduler loop
 * of the running instance fires when the clock reaches a fire time, without sleeping.
 */
class ScheduleApiTest {
    private static final String BASE = "/api/v1/schedules";

    @TempDir
    Path work;

    private final MutableClock clock = new MutableClock(Instant.parse("2027-03-27T12:00:00Z"));
    private RunningOrchestrator server;
    private Http http;
    private Map<String, String> admin;
    private String workflowId;

    @BeforeEach
    void start() {
        server = RunningOrchestrator.embedded(work, Map.of("CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "10000"), clock);
        http = server.http();
        admin = Map.of("X-API-Key", server.orchestrator().bootstrapKey().orElseThrow());
        Http.Response w = http.post("/api/v1/workflows", "{\"name\":\"Report\",\"workflow_data\":" + Samples.chain("Report", "a")
                + "}", admin);
        workflowId = w.json().get("id").asText();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_schedule_is_created_shown_with_its_next_fire_times_and_fires_when_its_time_comes() {
        Http.Response created = http.post(BASE, "{\"name\":\"Nightly\",\"workflow_id\":\"" + workflowId + "\",\"cron\":\"30 2 * * *\","
                + "\"timezone\":\"Europe/Berlin\",\"job\":{\"variables\":{\"x\":1},\"priority\":12}}", admin);

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode s = created.json();
        // 2027-03-28 02:30 does not exist in Berlin: it fires at 03:00 (+02:00), once.
        assertThat(s.get("next_fire_at").asText()).isEqualTo("2027-03-28T03:00:00+02:00");
        assertThat(s.get("next_fire_times").get(1).asText()).isEqualTo("2027-03-29T02:30:00+02:00");
        Http.Response next = http.get(BASE + "/Nightly/next?count=3", admin);
        assertThat(next.json().at("/items/0/weekday").asText()).isEqualTo("Sunday");
        assertThat(next.json().get("items")).hasSize(3);

        clock.advance(Duration.between(Instant.parse("2027-03-27T12:00:00Z"), Instant.parse("2027-03-28T01:00:00Z")));
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get(BASE + "/Nightly/history", admin).json().get("items").size() == 1);

        JsonNode fire = http.get(BASE + "/Nightly/history", admin).json().at("/items/0");
        assertThat(fire.get("outcome").asText()).isEqualTo("started");
        assertThat(fire.get("lag_ms").asLong()).isZero();
        JsonNode job = http.get("/api/v1/jobs/" + fire.get("job_id").asText(), admin).json();
        assertThat(job.get("priority").asInt()).isEqualTo(12);
        assertThat(job.at("/variables/x").asInt()).isEqualTo(1);
        assertThat(http.get(BASE + "/Nightly", admin).json().get("next_fire_at").asText()).isEqualTo("2027-03-29T02:30:00+02:00");
    }

    @Test
    void an_invalid_cron_is_400_naming_the_field_and_the_cron_part_and_nothing_is_stored() {
        Http.Response r = http.post(BASE, "{\"name\":\"Bad\",\"workflow_id\":\"" + workflowId + "\",\"cron\":\"0 9 * 13 *\"}", admin);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().at("/error/details/field").asText()).isEqualTo("cron");
        assertThat(r.json().at("/error/message").asText()).contains("month");
        assertThat(http.post(BASE, "{\"name\":\"Bad\",\"workflow_id\":\"" + workflowId + "\",\"cron\":\"@daily\",\"misfire_policy\":\"later\"}",
                admin).json().at("/error/details/field").asText()).isEqualTo("misfire_policy");
        assertThat(http.post(BASE, "{\"name\":\"Bad\",\"workflow_id\":\"" + workflowId + "\",\"cron\":\"@daily\",\"job\":{\"priority\":99}}",
                admin).json().at("/error/details/field").asText()).isEqualTo("job.priority");
        assertThat(http.get(BASE + "/preview?cron=0+9+*+*+8", admin).json().at("/error/details/field").asText()).isEqualTo("cron");
        assertThat(http.get(BASE, admin).json().get("items")).isEmpty();
    }

    @Test
    void trigger_now_disable_enable_update_and_delete() {
        http.post(BASE, "{\"name\":\"Hourly\",\"workflow_name\":\"Report\",\"cron\":\"@hourly\"}", admin);

        Http.Response triggered = http.post(BASE + "/Hourly/trigger", "{}", admin);
        assertThat(triggered.status()).as(triggered.body()).isEqualTo(201);
        assertThat(http.get("/api/v1/jobs/" + triggered.json().get("job_id").asText(), admin).status()).isEqualTo(200);
        assertThat(http.get(BASE + "/Hourly/history", admin).json().at("/items/0/kind").asText()).isEqualTo("manual");

        JsonNode disabled = http.post(BASE + "/Hourly/disable", "{}", admin).json();
        assertThat(disabled.get("enabled").asBoolean()).isFalse();
        assertThat(disabled.get("next_fire_at").isNull()).isTrue();
        clock.advance(Duration.ofHours(3));
        server.orchestrator().dispatchSignal().wake();
        assertThat(http.get(BASE + "/Hourly/history", admin).json().get("items")).hasSize(1);

        JsonNode enabled = http.post(BASE + "/Hourly/enable", "{}", admin).json();
        assertThat(enabled.get("next_fire_at").asText()).isEqualTo("2027-03-27T16:00:00Z");

        JsonNode changed = http.patch(BASE + "/Hourly", "{\"cron\":\"0 9 * * 1-5\",\"overlap_policy\":\"skip\"}", admin).json();
        assertThat(changed.get("next_fire_at").asText()).isEqualTo("2027-03-29T09:00:00Z");
        assertThat(changed.get("overlap_policy").asText()).isEqualTo("skip");

        assertThat(http.delete(BASE + "/Hourly", admin).status()).isEqualTo(204);
        assertThat(http.get(BASE + "/Hourly", admin).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/audit", admin).body()).contains("schedule.create", "schedule.trigger", "schedule.delete");
    }

    @Test
    void a_workflow_with_a_schedule_is_not_deleted_unless_the_delete_cascades() {
        http.post(BASE, "{\"name\":\"Hourly\",\"workflow_name\":\"Report\",\"cron\":\"@hourly\"}", admin);

        Http.Response refused = http.delete("/api/v1/workflows/Report", admin);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body()).contains("1 schedule");

        assertThat(http.delete("/api/v1/workflows/Report?cascade=true", admin).status()).isLessThan(300);
        assertThat(http.get(BASE, admin).json().get("items")).isEmpty();
    }
}
