package com.casarerpa.orchestrator.api;

import static com.casarerpa.orchestrator.testing.People.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.People;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
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
 * The robots list and the audit trail as CSV (the dashboard's "Export CSV"): the whole filter,
 * a header row, RFC 4180 quoting, cells a spreadsheet would run as formulas defused, and a bad
 * {@code format} refused naming the field.
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
                .contains("\"browser, excel\"");

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
}
