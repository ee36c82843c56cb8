package com.casarerpa.orchestrator.api;

import static com.casarerpa.orchestrator.testing.People.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.People;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * The robots, workflows and schedules lists and the audit trail as CSV (the dashboard's "Export
 * CSV"): the whole filter, a header row, RFC 4180 quoting, cells a spreadsheet would run as
 * formulas defused, and a bad {@code format} or filter refused naming the field. (The failure
 * groups' CSV is in JobInsightApiTest, whose server fails jobs without a robot.)
 */
@BothDatabases
class ListCsvApiTest {
    @Parameter
    TestDatabase database;
    @TempDir
    Path workDir;

    RunningOrchestrator server;
    Http http;
    Map<String, String> admin;

    @BeforeEach
    void start() {
        // Rate limits out of the way: the audit test makes 502 keys.
        server = database.isPostgres() ? RunningOrchestrator.postgres(workDir, People.FAST_SIGN_IN)
                : RunningOrchestrator.embedded(workDir, People.FAST_SIGN_IN);
        http = server.http();
        admin = bearer(server.adminKey(workDir));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void robots_come_as_csv_with_a_header_and_formulas_defused() {
        String robotKey = http.post("/api/v1/api-keys", "{\"name\":\"r\",\"role\":\"robot\"}", admin).json().get("key").asText();
        Http.Response registered = http.post("/api/v1/robots/register", "{\"robot_id\":\"robot-csv\",\"name\":\"=HYPERLINK(\\\"x\\\")\","
                + "\"hostname\":\"host, one\",\"capabilities\":[\"browser\",\"excel\"],\"max_concurrent_jobs\":2}", bearer(robotKey));
        assertThat(registered.status()).as(registered.body()).isIn(200, 201);

        Http.Response csv = http.get("/api/v1/robots?format=csv", admin);
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).startsWith("attachment; filename=robots-").endsWith(".csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.getFirst()).isEqualTo(String.join(",", RobotRoutes.CSV_COLUMNS));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).startsWith("robot-csv,\"'=HYPERLINK(\"\"x\"\")\",\"host, one\",online,false,0,2,")
                .contains("\"browser, excel\"")
                .contains(",none,"); // a REST robot holds no connection, and being online it has an offline_at

        Http.Response byAccept = http.get("/api/v1/robots", Map.of("Authorization", admin.get("Authorization"), "Accept", "text/csv"));
        assertThat(byAccept.body()).isEqualTo(csv.body());
        Http.Response bad = http.get("/api/v1/robots?format=xml", admin);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/details/field").asText()).isEqualTo("format");
    }

    @Test
    void the_audit_trail_comes_whole_as_csv_past_one_page() {
        for (int i = 0; i < 502; i++) {
            assertThat(http.post("/api/v1/api-keys", "{\"name\":\"k" + i + "\",\"role\":\"viewer\"}", admin).status()).isEqualTo(201);
        }
        Http.Response csv = http.get("/api/v1/audit?format=csv&action=api_key.create", admin);
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.header("Content-Disposition")).startsWith("attachment; filename=audit-");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.getFirst()).isEqualTo(String.join(",", AuditRoutes.COLUMNS));
        assertThat(lines.subList(1, lines.size())).as("every event of the filter, not a page").hasSizeGreaterThanOrEqualTo(502)
                .allSatisfy(l -> assertThat(l).contains(",api_key.create,"));
        assertThat(lines.get(1)).as("newest first, with its address and details").contains("127.0.0.1").contains("k501");
        Http.Response badFolder = http.get("/api/v1/audit?format=csv&folder=Default/nowhere", admin);
        assertThat(badFolder.status()).as("a bad filter is refused before the answer starts").isEqualTo(400);
    }

    @Test
    void workflows_come_as_csv_with_their_health_and_jobs_of_the_day_whatever_the_limit() {
        String invoices = deploy("Invoices", ",\"description\":\"=SUM(A1), and more\",\"tags\":[\"finance\",\"daily\"]");
        deploy("Reports", "");
        String robotKey = http.post("/api/v1/api-keys", "{\"name\":\"r\",\"role\":\"robot\"}", admin).json().get("key").asText();
        http.post("/api/v1/robots/register", "{\"robot_id\":\"robot-wf\",\"name\":\"robot-wf\"}", bearer(robotKey));
        String job = http.post("/api/v1/jobs", "{\"workflow_id\":\"" + invoices + "\",\"max_retries\":0}", admin).json().get("id").asText();
        assertThat(http.post("/api/v1/jobs/claim", "{\"robot_id\":\"robot-wf\"}", bearer(robotKey)).json().get("job_id").asText())
                .isEqualTo(job);
        assertThat(http.post("/api/v1/jobs/" + job + "/fail", "{\"error_message\":\"no file\"}", bearer(robotKey)).json()
                .get("status").asText()).isEqualTo("failed");

        Http.Response csv = http.get("/api/v1/workflows?format=csv&limit=1", admin);
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition")).startsWith("attachment; filename=workflows-").endsWith(".csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.getFirst()).isEqualTo(String.join(",", WorkflowRoutes.CSV_COLUMNS));
        assertThat(lines).as("every workflow, not a page of limit=1").hasSize(3);
        String invoicesRow = lines.stream().filter(l -> l.startsWith(invoices + ",")).findFirst().orElseThrow();
        assertThat(invoicesRow).startsWith(invoices + ",Invoices,\"'=SUM(A1), and more\",\"finance, daily\",Default,1,")
                .matches(".*,failed,[0-9T:.-]+Z,1,,,0,1");
        assertThat(lines.stream().filter(l -> l.contains(",Reports,")).findFirst().orElseThrow()).as("no job yet")
                .endsWith(",,,0,,,0,0");

        assertThat(http.get("/api/v1/workflows?format=csv&q=report", admin).body().lines()).hasSize(2);
        Http.Response badFolder = http.get("/api/v1/workflows?format=csv&folder=Default/nowhere", admin);
        assertThat(badFolder.status()).as("a bad filter is refused before the answer starts").isEqualTo(400);
        assertThat(badFolder.json().at("/error/details/field").asText()).isEqualTo("folder");
    }

    @Test
    void schedules_come_as_csv_with_the_next_fire_in_utc_and_their_time_zone() {
        String workflow = deploy("Nightly", "");
        assertThat(http.post("/api/v1/schedules", "{\"name\":\"Morning\",\"workflow_id\":\"" + workflow + "\",\"cron\":\"0 9 * * 1-5\","
                + "\"timezone\":\"Europe/Paris\"}", admin).status()).isEqualTo(201);
        assertThat(http.post("/api/v1/schedules", "{\"name\":\"Off\",\"workflow_id\":\"" + workflow + "\",\"cron\":\"@daily\","
                + "\"timezone\":\"UTC\",\"enabled\":false}", admin).status()).isEqualTo(201);
        String local = http.get("/api/v1/schedules/Morning", admin).json().get("next_fire_at").asText();

        Http.Response csv = http.get("/api/v1/schedules?format=csv", admin);
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.header("Content-Disposition")).startsWith("attachment; filename=schedules-").endsWith(".csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.getFirst()).isEqualTo(String.join(",", ScheduleRoutes.CSV_COLUMNS));
        assertThat(lines).hasSize(3);
        Map<String, String> morning = record(lines.get(1));
        assertThat(morning).containsEntry("name", "Morning").containsEntry("workflow_id", workflow).containsEntry("folder_path", "Default")
                .containsEntry("cron", "0 9 * * 1-5").containsEntry("timezone", "Europe/Paris").containsEntry("enabled", "true")
                .containsEntry("next_fire_at_local", local)
                .containsEntry("next_fire_at_utc", java.time.OffsetDateTime.parse(local).toInstant().toString());
        assertThat(morning.get("next_fire_at_utc")).endsWith("Z");
        Map<String, String> off = record(lines.get(2));
        assertThat(off).containsEntry("name", "Off").containsEntry("enabled", "false").containsEntry("next_fire_at_utc", "")
                .containsEntry("timezone", "UTC");

        assertThat(http.get("/api/v1/schedules?format=csv&workflow_id=" + deploy("Other", ""), admin).body().lines())
                .as("the workflow filter applies").hasSize(1);
        Http.Response badFolder = http.get("/api/v1/schedules?format=csv&folder=Default/nowhere", admin);
        assertThat(badFolder.status()).isEqualTo(400);
        assertThat(badFolder.json().at("/error/details/field").asText()).isEqualTo("folder");
    }

    /** Deploys a small workflow with {@code more} body fields (empty, or starting with a comma); its id. */
    private String deploy(String name, String more) {
        Http.Response r = http.post("/api/v1/workflows", "{\"name\":\"" + name + "\",\"workflow_data\":" + Samples.chain(name, "a")
                + more + "}", admin);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    /** A schedules CSV line (no quoted fields) by column. */
    private static Map<String, String> record(String line) {
        String[] fields = line.split(",", -1);
        Map<String, String> byColumn = new java.util.LinkedHashMap<>();
        for (int i = 0; i < ScheduleRoutes.CSV_COLUMNS.size(); i++) {
            byColumn.put(ScheduleRoutes.CSV_COLUMNS.get(i), fields[i]);
        }
        return byColumn;
    }
}
