package com.casarerpa.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A robot report accepted just before the instance stops is committed before the connection
 * pool closes: the grouped-reports writer is drained after the HTTP server and the robot
 * channel stop, and before the database.
 */
class ShutdownDrainsReportsTest {
    @TempDir
    Path workDir;

    @Test
    void a_completion_accepted_just_before_close_is_committed_not_lost() throws Exception {
        String db = TestPostgres.createDatabase();
        try (RunningOrchestrator server = RunningOrchestrator.postgresOn(workDir, db);
                Connection locker = TestPostgres.connect(db)) {
            Map<String, String> admin = Map.of("X-API-Key", server.adminKey(workDir));
            Http http = server.http();
            http.post("/api/v1/workflows", "{\"name\":\"Greeting\",\"workflow_data\":" + Samples.chain("Greeting", "hi") + "}", admin);
            String robotKey = http.post("/api/v1/api-keys", "{\"name\":\"r\",\"role\":\"robot\"}", admin).json().get("key").asText();
            String job = http.post("/api/v1/jobs", "{\"workflow_name\":\"Greeting\"}", admin).json().get("id").asText();

            try (TestRobot robot = TestRobot.connect(server.orchestrator().port(), robotKey)) {
                robot.register(Json.mapper().createObjectNode().put("robot_id", "r1"));
                JsonNode assign = robot.next("job_assign");
                robot.call(TestRobot.report("job_started", assign));

                // Another session holds the job's row for 3 s, so the completion waits in the writer,
                // accepted and not committed, while the instance stops.
                locker.setAutoCommit(false);
                try (Statement s = locker.createStatement()) {
                    s.execute("SELECT id FROM jobs WHERE id = '" + job + "' FOR UPDATE");
                }
                CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
                    try (Statement s = locker.createStatement()) {
                        s.execute("SELECT pg_sleep(3)");
                        locker.commit();
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                ObjectNode done = TestRobot.report("job_completed", assign);
                done.putObject("result").put("executed_nodes", 3).put("duration_ms", 5);
                robot.request(done);
                await().atMost(Duration.ofSeconds(10)).until(() -> waitingForLocks(db) == 1);

                server.orchestrator().close();
                release.join();
            }
            assertThat(state(db, job)).isEqualTo("succeeded");
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }

    private static int waitingForLocks(String db) throws Exception {
        try (Connection c = TestPostgres.connect(db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String state(String db, String job) throws Exception {
        try (Connection c = TestPostgres.connect(db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT state FROM jobs WHERE id = '" + job + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
