package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Why is this job still pending?" answered from the fleet (DESIGN.md §5). */
class WaitingReasonTest {
    @TempDir
    Path workDir;

    @Test
    void the_reason_follows_the_fleet() throws Exception {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir)) {
            Http http = server.http();
            Map<String, String> admin = Map.of("X-API-Key", server.orchestrator().bootstrapKey().orElseThrow());
            String sample = com.casarerpa.orchestrator.testing.Samples.text("batch_2_2_xml.json");
            http.post("/api/v1/workflows", "{\"name\":\"XML\",\"workflow_data\":" + sample + "}", admin);
            Map<String, String> robot = Map.of("X-API-Key",
                    http.post("/api/v1/api-keys", "{\"name\":\"r\",\"role\":\"robot\"}", admin).json().get("key").asText());
            String job = http.post("/api/v1/jobs", "{\"workflow_name\":\"XML\",\"required_capabilities\":[\"desktop\"]}", admin)
                    .json().get("id").asText();

            assertThat(reason(http, admin, job)).isEqualTo("no robot online");
            http.post("/api/v1/robots/register", "{\"robot_id\":\"web\",\"name\":\"web\",\"capabilities\":[\"browser\"]}", robot);
            assertThat(reason(http, admin, job)).isEqualTo("no online robot has capability desktop");
            http.post("/api/v1/robots/register", "{\"robot_id\":\"desk\",\"name\":\"desk\",\"capabilities\":[\"desktop\"],"
                    + "\"max_concurrent_jobs\":1}", robot);
            http.post("/api/v1/robots/desk/maintenance", "{\"enabled\":true}", admin);
            assertThat(reason(http, admin, job)).isEqualTo("every robot that can run it is in maintenance");
            http.post("/api/v1/robots/desk/maintenance", "{\"enabled\":false}", admin);
            assertThat(reason(http, admin, job)).isEqualTo("waiting for the next claim of a free robot");

            String second = http.post("/api/v1/jobs", "{\"workflow_name\":\"XML\",\"required_capabilities\":[\"desktop\"]}", admin)
                    .json().get("id").asText();
            assertThat(http.post("/api/v1/jobs/claim", "{\"robot_id\":\"desk\"}", robot).json().get("job_id").asText()).isEqualTo(job);
            assertThat(reason(http, admin, second)).isEqualTo("all slots busy on the 1 robot(s) that can run it");
        }
    }

    private static String reason(Http http, Map<String, String> admin, String job) {
        return http.get("/api/v1/jobs/" + job, admin).json().get("waiting_reason").asText();
    }
}
