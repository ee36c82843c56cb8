package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.testing.ShiftedClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler loop of a running server against real time: the server's clock is shifted so a
 * minute boundary is about a second away, and the fire must happen then, never early and less
 * than a second late (the lag the history reports). No sleeping: the loop's own timing is what
 * is measured.
 */
class ScheduleLagTest {
    @TempDir
    Path work;

    @Test
    void a_fire_happens_at_its_time_and_less_than_a_second_late() {
        ShiftedClock clock = new ShiftedClock();
        try (RunningOrchestrator server = RunningOrchestrator.embedded(work, Map.of(), clock)) {
            Http http = server.http();
            Map<String, String> admin = Map.of("X-API-Key", server.orchestrator().bootstrapKey().orElseThrow());
            http.post("/api/v1/workflows", "{\"name\":\"Tick\",\"workflow_data\":" + Samples.chain("Tick", "a") + "}", admin);
            clock.boundaryIn(Duration.ofMillis(1200));

            Http.Response created = http.post("/api/v1/schedules", "{\"name\":\"Every minute\",\"workflow_name\":\"Tick\","
                    + "\"cron\":\"* * * * *\"}", admin);
            assertThat(created.status()).as(created.body()).isEqualTo(201);

            await().atMost(Duration.ofSeconds(15))
                    .until(() -> http.get("/api/v1/schedules/Every%20minute/history", admin).json().get("items").size() == 1);
            JsonNode fire = http.get("/api/v1/schedules/Every%20minute/history", admin).json().at("/items/0");
            assertThat(fire.get("outcome").asText()).isEqualTo("started");
            assertThat(fire.get("lag_ms").asLong()).as(fire.toString()).isBetween(0L, 999L);
        }
    }
}
