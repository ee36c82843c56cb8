package com.casarerpa.orchestrator.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server while its database is stalled (a {@code LOCK TABLE} held by someone else) or
 * shutting down under a request: requests end in bounded time with 503 and {@code Retry-After}
 * and store nothing, {@code /ready} says so, and a robot's {@code register} that arrived in time
 * is never held against the robot.
 */
class DatabaseStallTest {
    private static final Map<String, String> TIMINGS = Map.of(
            "CASARE_DATABASE_STATEMENT_TIMEOUT_SECONDS", "4",
            "CASARE_ROBOTS_REGISTER_TIMEOUT_SECONDS", "1");

    @TempDir
    Path work;

    private String db;
    private ChannelServer server;
    private Connection locker;

    @BeforeEach
    void start() throws SQLException {
        db = TestPostgres.createDatabase();
        server = ChannelServer.postgresOn(work, db, TIMINGS);
        locker = TestPostgres.connect(db);
        locker.setAutoCommit(false);
    }

    @AfterEach
    void stop() throws SQLException {
        locker.rollback();
        locker.close();
        server.close();
        TestPostgres.dropDatabase(db);
    }

    private void lock(String table) throws SQLException {
        try (Statement s = locker.createStatement()) {
            s.execute("LOCK TABLE " + table);
        }
    }

    private CompletableFuture<Http.Response> submitInBackground() {
        return CompletableFuture.supplyAsync(() -> server.http.post("/api/v1/jobs",
                "{\"workflow_id\":\"" + server.workflowId + "\"}", server.admin));
    }

    @Test
    void a_submit_stuck_behind_a_lock_answers_503_in_bounded_time_stores_nothing_and_ready_says_why() throws Exception {
        lock("jobs");
        Http.Response ready = server.http.get("/ready");
        assertThat(ready.status()).as(ready.body()).isEqualTo(503);
        assertThat(ready.json().get("checks").get("database_writes").asText()).isEqualTo("stalled");
        assertThat(ready.json().get("reasons").toString()).contains("does not take writes in time");

        Http.Response submitted = submitInBackground().get(10, TimeUnit.SECONDS);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(503);
        assertThat(submitted.header("Retry-After")).isNotBlank();

        locker.rollback();
        assertThat(server.http.get("/ready").status()).isEqualTo(200);
        Http.Response jobs = server.http.get("/api/v1/jobs", server.admin);
        assertThat(jobs.json().get("items")).as("nothing was stored").isEmpty();
    }

    @Test
    void a_request_whose_connection_the_database_terminates_answers_503_not_500() throws Exception {
        lock("jobs");
        CompletableFuture<Http.Response> submit = submitInBackground();
        terminateTheBackendWaitingForTheLock();

        Http.Response submitted = submit.get(10, TimeUnit.SECONDS);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(503);
        assertThat(submitted.header("Retry-After")).isNotBlank();
        assertThat(submitted.json().get("error").get("code").asText()).isEqualTo("unavailable");
    }

    @Test
    void a_robot_message_whose_connection_the_database_terminates_gets_a_retryable_error() throws Exception {
        TestRobot robot = server.robot();
        assertThat(robot.register(TestRobot.message("register").put("robot_id", "r-terminated")).path("type").asText())
                .isEqualTo("registered");
        lock("robots");
        var heartbeat = TestRobot.message("heartbeat");
        heartbeat.putArray("jobs");
        String id = robot.request(heartbeat);
        terminateTheBackendWaitingForTheLock();

        assertRetryableUnavailable(answerTo(robot, id));
        assertThat(robot.isClosed()).isFalse();
    }

    @Test
    void a_register_that_arrived_in_time_is_not_closed_for_the_servers_own_database_time() throws Exception {
        lock("robots");
        TestRobot robot = server.robot();
        String id = sendRegister(robot, "r-slow");
        // Past the 1 s register deadline, the register still waits for the lock: the connection stays.
        await().during(Duration.ofMillis(2200)).atMost(Duration.ofSeconds(3)).until(() -> !robot.isClosed());
        locker.rollback();

        JsonNode registered = answerTo(robot, id);
        assertThat(registered.get("type").asText()).as(registered.toString()).isEqualTo("registered");
        assertThat(robot.isClosed()).isFalse();
    }

    @Test
    void a_register_the_database_cannot_serve_in_time_is_closed_with_1013_try_again() throws Exception {
        lock("robots");
        TestRobot robot = server.robot();
        String id = sendRegister(robot, "r-stalled");

        assertRetryableUnavailable(answerTo(robot, id));
        assertThat(robot.closeCode(Duration.ofSeconds(5))).isEqualTo(1013);
    }

    @Test
    void a_robot_back_with_a_finished_job_whose_lease_expired_takes_it_back_when_nobody_claimed_it() throws Exception {
        TestRobot robot = server.robot();
        robot.register(TestRobot.message("register").put("robot_id", "r-away"));
        String jobId = server.submit(List.of(), 3);
        JsonNode assign = robot.next("job_assign", Duration.ofSeconds(5));
        robot.call(TestRobot.report("job_started", assign));
        robot.close();
        // Away longer than its lease: the sweep ends it and the job waits, pending, for a robot.
        try (Statement s = locker.createStatement()) {
            s.executeUpdate("UPDATE jobs SET lease_expires_at = CURRENT_TIMESTAMP - INTERVAL '1 second' WHERE id = '" + jobId + "'");
            locker.commit();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.job(jobId).state() == JobState.PENDING);

        TestRobot back = server.robot();
        ObjectNode register = TestRobot.message("register").put("robot_id", "r-away");
        register.putArray("jobs").addObject().put("job_id", jobId).put("lease_token", assign.get("lease_token").asText())
                .put("state", "finished");
        JsonNode registered = back.register(register);
        assertThat(registered.get("resumed").toString()).as(registered.toString()).contains(jobId);
        ObjectNode report = TestRobot.report("job_completed", assign);
        report.putObject("result").put("executed_nodes", 3).put("duration_ms", 1);
        JsonNode completed = back.call(report);
        assertThat(completed.get("type").asText()).as(completed.toString()).isEqualTo("ack");
        assertThat(server.job(jobId).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(server.job(jobId).attempt()).as("the same attempt, not a second run").isEqualTo(1);
    }

    private static JsonNode answerTo(TestRobot robot, String id) {
        return robot.awaitMessage(m -> id.equals(m.path("reply_to").asText()));
    }

    private static void assertRetryableUnavailable(JsonNode answer) {
        assertThat(answer.get("type").asText()).as(answer.toString()).isEqualTo("error");
        assertThat(answer.get("code").asText()).isEqualTo("unavailable");
        assertThat(answer.get("retryable").asBoolean()).isTrue();
    }

    /** Sends a register without waiting for its answer; returns its id. */
    private static String sendRegister(TestRobot robot, String robotId) {
        return robot.request(TestRobot.message("register").put("protocol_version", 1).put("hostname", "h").put("robot_id", robotId));
    }

    /** Waits for the server's statement that waits for the lock and ends its connection (SQLSTATE 57P01). */
    private void terminateTheBackendWaitingForTheLock() throws SQLException {
        try (Connection admin = TestPostgres.connect(db); Statement s = admin.createStatement()) {
            String waiting = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    + " AND application_name = 'casare-orchestrator'";
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                try (ResultSet rs = s.executeQuery(waiting)) {
                    return rs.next();
                }
            });
            s.execute("SELECT pg_terminate_backend(pid) FROM (" + waiting + ") w");
        }
    }
}
