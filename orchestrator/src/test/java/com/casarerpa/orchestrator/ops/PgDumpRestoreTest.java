package com.casarerpa.orchestrator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.app.Orchestrator;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.StartedInstance;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.casarerpa.testkit.Robots;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spec's "Backup Procedures", once for real: {@code pg_dump -h localhost -U postgres casare >
 * backup.sql} of a database with workflows, schedules, API keys and jobs (run and waiting),
 * restored with psql into a new database, and a server started on the copy: the same workflows,
 * schedules and jobs, the old API keys work, and so does a token issued before the dump (the
 * generated signing key travels with the data).
 */
@Tag("ops")
class PgDumpRestoreTest {
    @TempDir
    Path workDir;

    @Test
    void a_pg_dump_restored_into_a_new_database_serves_the_same_data_and_keys() throws Exception {
        String original = TestPostgres.createDatabase();
        String copy = TestPostgres.createDatabase();
        Map<String, String> before = new LinkedHashMap<>();
        String adminKey;
        String viewerKey;
        String token;
        List<String> jobs = new ArrayList<>();
        String waiting;
        try (Orchestrator server = StartedInstance.start(workDir.resolve("a"), env(original)); Robots robots = new Robots()) {
            adminKey = StartedInstance.adminKey(cli(original), workDir);
            Http http = new Http(server.port());
            JobFlow flow = new JobFlow(http, adminKey);
            viewerKey = flow.key("viewer", "dashboard");
            List<String> workflows = List.of(flow.deploy("invoices"), flow.deploy("reports"));
            String schedule = http.post("/api/v1/schedules", "{\"name\":\"nightly\",\"workflow_name\":\"reports\",\"cron\":\"0 2 * * *\"}",
                    flow.admin()).json().get("id").asText();
            flow.robot(robots, server.port(), "dump-robot");
            for (int i = 0; i < 3; i++) {
                jobs.add(flow.submit(workflows.get(i % 2)));
            }
            jobs.forEach(id -> flow.awaitState(id, "succeeded"));
            waiting = http.post("/api/v1/jobs", "{\"workflow_id\":\"" + workflows.get(0) + "\",\"required_capabilities\":[\"mainframe\"]}",
                    flow.admin()).json().get("id").asText();
            jobs.add(waiting);
            token = StartedInstance.token(server.port(), adminKey);
            List<String> paths = new ArrayList<>();
            workflows.forEach(id -> paths.add("/api/v1/workflows/" + id));
            paths.add("/api/v1/schedules/" + schedule);
            jobs.forEach(id -> paths.add("/api/v1/jobs/" + id));
            for (String path : paths) {
                Http.Response r = http.get(path, flow.admin());
                assertThat(r.status()).as(path + " before the dump: " + r.body()).isEqualTo(200);
                before.put(path, r.body());
            }
        }

        Path dump = workDir.resolve("backup.sql");
        run(dump, "pg_dump", "-h", "localhost", "-p", String.valueOf(TestPostgres.PORT), "-U", TestPostgres.USER, original);
        assertThat(Files.size(dump)).isPositive();
        run(null, "psql", "-h", "localhost", "-p", String.valueOf(TestPostgres.PORT), "-U", TestPostgres.USER, "-d", copy,
                "-v", "ON_ERROR_STOP=1", "-q", "-f", dump.toString());
        TestPostgres.dropDatabase(original);

        try (Orchestrator restored = StartedInstance.start(workDir.resolve("b"), env(copy))) {
            Http http = new Http(restored.port());
            Map<String, String> admin = Map.of("X-API-Key", adminKey);
            for (Map.Entry<String, String> e : before.entrySet()) {
                Http.Response now = http.get(e.getKey(), admin);
                assertThat(now.status()).as(e.getKey()).isEqualTo(200);
                assertThat(stable(now.json())).as(e.getKey()).isEqualTo(stable(Json.mapper().readTree(e.getValue())));
            }
            assertThat(http.get("/api/v1/jobs/" + waiting, admin).json().get("state").asText()).isEqualTo("pending");
            assertThat(http.get("/api/v1/workflows", Map.of("X-API-Key", viewerKey)).status()).as("the viewer key").isEqualTo(200);
            assertThat(StartedInstance.workflowsWith(restored.port(), token)).as("a token issued before the dump").isEqualTo(200);
        } finally {
            TestPostgres.dropDatabase(copy);
        }
    }

    /** The database, and rate limits this test's few dozen requests in a second do not reach. */
    private static Map<String, String> env(String db) {
        return Map.of("DATABASE_URL", TestPostgres.url(db), "CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "100000",
                "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "10000");
    }

    private Map<String, String> cli(String db) {
        return Map.of("DATABASE_URL", TestPostgres.url(db), "CASARE_DATA_DIR", workDir.resolve("cli").toString());
    }

    /** The body without what is computed at the time of the request (ages, "last used" of the key reading it). */
    private static JsonNode stable(JsonNode body) {
        JsonNode copy = body.deepCopy();
        if (copy.isObject()) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove(List.of("age_seconds", "waiting_seconds", "pending_reason"));
        }
        return copy;
    }

    private static void run(Path output, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(output == null);
        if (!TestPostgres.PASSWORD.isEmpty()) {
            pb.environment().put("PGPASSWORD", TestPostgres.PASSWORD);
        }
        Path log = Files.createTempFile("casare-pg-tool", ".log");
        if (output != null) {
            pb.redirectOutput(output.toFile()).redirectError(log.toFile());
        } else {
            pb.redirectOutput(log.toFile());
        }
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + Files.readString(log)).isZero();
        Files.deleteIfExists(log);
    }
}
