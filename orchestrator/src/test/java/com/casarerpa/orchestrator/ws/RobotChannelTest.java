package com.casarerpa.orchestrator.ws;

import static com.casarerpa.testkit.TestRobot.message;
import static com.casarerpa.testkit.TestRobot.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** The robot channel's dispatch and reports with real WebSocket robots, on H2 and on PostgreSQL. */
class RobotChannelTest {

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path workDir;
        ChannelServer s;

        ChannelServer start() {
            return database.isPostgres() ? ChannelServer.postgres(workDir) : ChannelServer.embedded(workDir);
        }

        @BeforeEach
        void setUp() {
            s = start();
        }

        @AfterEach
        void tearDown() {
            s.close();
        }

        static ObjectNode fields() {
            return Json.mapper().createObjectNode();
        }

        TestRobot registered(String robotId, int slots, String... capabilities) {
            TestRobot robot = s.robot();
            ObjectNode f = fields().put("robot_id", robotId).put("max_concurrent_jobs", slots);
            f.putArray("capabilities").addAll(List.of(capabilities).stream().map(c -> Json.mapper().getNodeFactory().textNode(c)).toList());
            JsonNode answer = robot.register(f);
            assertThat(answer.get("type").asText()).as(answer.toString()).isEqualTo("registered");
            return robot;
        }

        @Test
        void register_is_answered_with_the_robot_id_and_the_timings() {
            TestRobot robot = s.robot();
            JsonNode registered = robot.register(fields().put("name", "Robot-vm"));
            assertThat(registered.get("type").asText()).isEqualTo("registered");
            assertThat(registered.get("reply_to").asText()).isEqualTo("r-1");
            assertThat(registered.get("robot_id").asText()).startsWith("robot-test-host-");
            assertThat(registered.get("protocol_version").asInt()).isEqualTo(1);
            assertThat(registered.get("connection_id").asText()).startsWith("c_");
            assertThat(registered.get("heartbeat_interval_seconds").asInt()).isEqualTo(5);
            assertThat(registered.get("heartbeat_timeout_seconds").asInt()).isEqualTo(30);
            assertThat(registered.get("visibility_timeout_seconds").asInt()).isEqualTo(300);
            assertThat(registered.get("max_message_bytes").asInt()).isEqualTo(1_048_576);
            assertThat(registered.get("server_time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(registered.get("resumed")).isEmpty();
            assertThat(registered.get("lost")).isEmpty();

            JsonNode robotView = s.http.get("/api/v1/robots/" + registered.get("robot_id").asText(), s.admin).json();
            assertThat(robotView.get("status").asText()).isEqualTo("online");

            JsonNode beat = robot.call(message("heartbeat").put("cpu_percent", 12.5).put("memory_mb", 3310).set("jobs",
                    Json.mapper().createArrayNode()));
            assertThat(beat.get("type").asText()).as(beat.toString()).isEqualTo("ack");
            assertThat(beat.get("leases")).isEmpty();
        }

        @Test
        void a_submitted_job_is_pushed_at_once_and_runs_to_success_with_its_logs_stored_once() {
            TestRobot robot = registered("runner", 1);
            long submitted = System.nanoTime();
            String jobId = s.submit();
            JsonNode assign = robot.next("job_assign", Duration.ofSeconds(1));
            assertThat(Duration.ofNanos(System.nanoTime() - submitted)).isLessThan(Duration.ofSeconds(1));
            assertThat(assign.get("job_id").asText()).isEqualTo(jobId);
            assertThat(assign.get("id").asText()).startsWith("s-");
            assertThat(assign.get("attempt").asInt()).isEqualTo(1);
            assertThat(assign.get("lease_token").asText()).isNotBlank();
            assertThat(assign.get("workflow").isObject()).isTrue();
            assertThat(assign.at("/workflow/nodes/set0/node_type").asText()).isEqualTo("SetVariableNode");
            assertThat(assign.get("workflow_name").asText()).isEqualTo("Greeting");
            assertThat(assign.get("variables").get("region").asText()).isEqualTo("emea");
            assertThat(assign.get("timeout_seconds").asInt()).isEqualTo(600);
            assertThat(assign.get("priority").asInt()).isEqualTo(10);
            assertThat(assign.get("lease_expires_at").asText()).endsWith("Z");

            JsonNode started = robot.call(report("job_started", assign));
            assertThat(started.get("job_state").asText()).as(started.toString()).isEqualTo("running");
            assertThat(started.get("duplicate").asBoolean()).isFalse();
            assertThat(s.job(jobId).state()).isEqualTo(JobState.RUNNING);

            robot.sendRaw(report("job_progress", assign).put("percent", 50).toString());
            ObjectNode logs = report("log_batch", assign);
            logs.putArray("entries").add(entry(1, "started")).add(entry(2, "greeting = hello"));
            JsonNode logged = robot.call(logs.deepCopy());
            assertThat(logged.get("accepted").asInt()).as(logged.toString()).isEqualTo(2);
            JsonNode again = robot.call(logs);
            assertThat(again.get("accepted").asInt()).isZero();
            assertThat(again.get("duplicates").asInt()).isEqualTo(2);

            ObjectNode completed = report("job_completed", assign);
            completed.putObject("result").put("executed_nodes", 3).put("duration_ms", 36).putObject("variables").put("greeting", "hello");
            JsonNode done = robot.call(completed.deepCopy());
            assertThat(done.get("job_state").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(done.get("duplicate").asBoolean()).isFalse();
            assertThat(s.job(jobId).state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(s.job(jobId).result().orElseThrow()).contains("\"greeting\":\"hello\"");
            assertThat(robot.call(completed).get("duplicate").asBoolean()).as("a resent final report changes nothing").isTrue();

            ObjectNode late = report("log_batch", assign);
            late.putArray("entries").add(entry(3, "finished"));
            assertThat(robot.call(late).get("accepted").asInt()).as("logs flushed after the final report are kept").isEqualTo(1);
        }

        static ObjectNode entry(int seq, String text) {
            return Json.mapper().createObjectNode().put("seq", seq).put("timestamp", "2026-11-27T09:00:01.020Z")
                    .put("level", "info").put("message", text);
        }

        @Test
        void a_failure_with_retries_left_runs_again_and_one_that_cannot_be_retried_fails() {
            TestRobot robot = registered("flaky", 1);
            String jobId = s.submit();
            JsonNode first = robot.next("job_assign");
            ObjectNode failed = report("job_failed", first);
            failed.putObject("error").put("type", "HttpRequestError").put("message", "503 from upstream");
            JsonNode ack = robot.call(failed);
            assertThat(ack.get("job_state").asText()).as(ack.toString()).isEqualTo("pending");
            assertThat(ack.has("retry_at")).isTrue();

            JsonNode second = robot.next("job_assign");
            assertThat(second.get("job_id").asText()).isEqualTo(jobId);
            assertThat(second.get("attempt").asInt()).isEqualTo(2);
            ObjectNode fatal = report("job_failed", second).put("retryable", false);
            fatal.putObject("error").put("type", "unsupported_node_type").put("message", "ExcelOpenNode is not supported");
            assertThat(robot.call(fatal).get("job_state").asText()).isEqualTo("failed");
            assertThat(s.job(jobId).state()).isEqualTo(JobState.FAILED);
            assertThat(s.job(jobId).errorType()).contains("unsupported_node_type");
        }

        @Test
        void a_robot_never_gets_more_jobs_than_its_free_slots() {
            TestRobot robot = registered("two-slots", 2);
            for (int i = 0; i < 5; i++) {
                s.submit();
            }
            JsonNode a = robot.next("job_assign");
            robot.next("job_assign");
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2))
                    .until(() -> robot.pending("job_assign").isEmpty());
            ObjectNode done = report("job_completed", a);
            done.putObject("result").put("executed_nodes", 1).put("duration_ms", 1);
            robot.call(done);
            robot.next("job_assign");
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> robot.pending("job_assign").isEmpty());
        }

        @Test
        void a_job_that_needs_a_capability_the_robot_lacks_waits_for_one_that_has_it() {
            TestRobot plain = registered("plain", 2);
            String jobId = s.submit(List.of("browser"));
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> plain.pending("job_assign").isEmpty());
            assertThat(s.job(jobId).state()).isEqualTo(JobState.PENDING);

            TestRobot browser = registered("browser", 1, "browser");
            assertThat(browser.next("job_assign").get("job_id").asText()).isEqualTo(jobId);
        }

        @Test
        void cancelling_a_running_job_pushes_job_cancel_and_the_confirmation_ends_it_cancelled() {
            TestRobot robot = registered("cancellable", 1);
            String jobId = s.submit();
            JsonNode assign = robot.next("job_assign");
            robot.call(report("job_started", assign));
            s.reports.cancel(jobId);
            s.server.orchestrator().dispatchSignal().wake();

            JsonNode cancel = robot.next("job_cancel");
            assertThat(cancel.get("job_id").asText()).isEqualTo(jobId);
            assertThat(cancel.get("lease_token").asText()).isEqualTo(assign.get("lease_token").asText());
            assertThat(cancel.get("reason").asText()).isEqualTo("cancelled");
            assertThat(cancel.get("grace_seconds").asInt()).isEqualTo(30);

            JsonNode ack = robot.call(report("job_cancelled", assign).put("reason", "cancelled")
                    .put("reply_to", cancel.get("id").asText()));
            assertThat(ack.get("job_state").asText()).as(ack.toString()).isEqualTo("cancelled");
            assertThat(s.job(jobId).state()).isEqualTo(JobState.CANCELLED);
        }

        @Test
        void a_report_under_a_stale_lease_is_refused_and_changes_nothing() {
            TestRobot robot = registered("stale", 1);
            String jobId = s.submit();
            JsonNode assign = robot.next("job_assign");
            ObjectNode released = report("job_release", assign).put("reason", "other");
            assertThat(robot.call(released).get("job_state").asText()).isEqualTo("pending");

            ObjectNode completed = report("job_completed", assign);
            completed.putObject("result").put("executed_nodes", 1).put("duration_ms", 1);
            JsonNode error = robot.call(completed);
            assertThat(error.get("type").asText()).isEqualTo("error");
            assertThat(error.get("code").asText()).isEqualTo("stale_lease");
            assertThat(error.get("retryable").asBoolean()).isFalse();
            assertThat(error.at("/details/job_id").asText()).isEqualTo(jobId);
            assertThat(error.at("/details/type").asText()).isEqualTo("job_completed");
            assertThat(s.job(jobId).state()).isEqualTo(JobState.PENDING);
            assertThat(s.job(jobId).result()).isEmpty();

            ObjectNode forged = report("job_started", assign).put("lease_token", "not-a-lease");
            assertThat(robot.call(forged).get("code").asText()).isEqualTo("stale_lease");
            assertThat(robot.call(report("job_started", assign).put("job_id", "job_nope")).get("code").asText())
                    .isEqualTo("not_found");
        }

        @Test
        void a_robot_that_drops_mid_job_and_resumes_keeps_its_job_and_loses_the_ones_it_does_not_list() {
            TestRobot first = registered("resumer", 2);
            s.submit();
            s.submit();
            JsonNode keep = first.next("job_assign");
            JsonNode drop = first.next("job_assign");
            first.call(report("job_started", keep));
            first.abort();

            TestRobot again = s.robot();
            ObjectNode f = fields().put("robot_id", "resumer").put("max_concurrent_jobs", 2);
            f.putArray("jobs").addObject().put("job_id", keep.get("job_id").asText())
                    .put("lease_token", keep.get("lease_token").asText()).put("state", "running");
            JsonNode registered = again.register(f);
            assertThat(registered.get("resumed")).hasSize(1);
            assertThat(registered.at("/resumed/0/job_id").asText()).isEqualTo(keep.get("job_id").asText());
            assertThat(registered.get("lost")).isEmpty();

            ObjectNode done = report("job_completed", keep);
            done.putObject("result").put("executed_nodes", 3).put("duration_ms", 5);
            assertThat(again.call(done).get("job_state").asText()).isEqualTo("succeeded");
            // the job it did not list ended and comes back as a new attempt
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode reassigned = again.next("job_assign");
                assertThat(reassigned.get("job_id").asText()).isEqualTo(drop.get("job_id").asText());
                assertThat(reassigned.get("attempt").asInt()).isEqualTo(2);
            });
        }

        @Test
        void robots_that_offer_different_things_each_get_only_what_they_can_run_and_a_freed_slot_gets_the_rest() {
            TestRobot plain = registered("plain-1", 2);
            TestRobot browser = registered("browser-1", 2, "browser");
            List<String> jobs = List.of(s.submit(List.of("browser")), s.submit(List.of("browser")), s.submit(List.of("browser")));
            JsonNode first = browser.next("job_assign");
            JsonNode second = browser.next("job_assign");
            assertThat(jobs).contains(first.get("job_id").asText(), second.get("job_id").asText());
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2))
                    .until(() -> plain.pending("job_assign").isEmpty() && browser.pending("job_assign").isEmpty());

            ObjectNode done = report("job_completed", first);
            done.putObject("result").put("executed_nodes", 1).put("duration_ms", 1);
            assertThat(browser.call(done).get("type").asText()).isEqualTo("ack");
            JsonNode third = browser.next("job_assign");
            assertThat(jobs).contains(third.get("job_id").asText());
            assertThat(List.of(first, second, third)).extracting(j -> j.get("job_id").asText()).doesNotHaveDuplicates();
            assertThat(plain.pending("job_assign")).isEmpty();
        }

        @Test
        void reports_sent_without_waiting_are_each_answered_after_their_commit_as_if_handled_one_by_one() {
            TestRobot robot = registered("pipelined", 2);
            s.submit();
            s.submit();
            JsonNode a = robot.next("job_assign");
            JsonNode b = robot.next("job_assign");
            ObjectNode doneA = report("job_completed", a);
            doneA.putObject("result").put("executed_nodes", 1).put("duration_ms", 1);
            ObjectNode doneB = report("job_completed", b);
            doneB.putObject("result").put("executed_nodes", 2).put("duration_ms", 1);
            String startedA = robot.request(report("job_started", a));
            String completedA = robot.request(doneA.deepCopy());
            String startedB = robot.request(report("job_started", b));
            String completedB = robot.request(doneB);
            String againA = robot.request(doneA.deepCopy());
            String lateStartA = robot.request(report("job_started", a));
            String heartbeat = robot.request(message("heartbeat").set("jobs", Json.mapper().createArrayNode()));

            JsonNode started = answer(robot, startedA);
            assertThat(started.get("job_state").asText()).isEqualTo("running");
            assertThat(started.get("duplicate").asBoolean()).isFalse();
            assertThat(answer(robot, completedA).get("duplicate").asBoolean()).isFalse();
            assertThat(answer(robot, startedB).get("job_state").asText()).isEqualTo("running");
            assertThat(answer(robot, completedB).get("job_state").asText()).isEqualTo("succeeded");
            JsonNode again = answer(robot, againA);
            assertThat(again.get("type").asText()).isEqualTo("ack");
            assertThat(again.get("duplicate").asBoolean()).as(again.toString()).isTrue();
            JsonNode late = answer(robot, lateStartA);
            assertThat(late.get("type").asText()).isEqualTo("error");
            assertThat(late.get("code").asText()).isEqualTo("stale_lease");
            assertThat(answer(robot, heartbeat).get("type").asText()).isEqualTo("ack");
            assertThat(s.job(a.get("job_id").asText()).state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(s.job(b.get("job_id").asText()).state()).isEqualTo(JobState.SUCCEEDED);
        }

        private static JsonNode answer(TestRobot robot, String id) {
            return robot.awaitMessage(m -> id.equals(m.path("reply_to").asText(null)));
        }

        @Test
        void two_robots_share_the_load() {
            TestRobot one = registered("one", 1);
            TestRobot two = registered("two", 1);
            s.submit();
            s.submit();
            JsonNode a = one.next("job_assign");
            JsonNode b = two.next("job_assign");
            assertThat(a.get("job_id").asText()).isNotEqualTo(b.get("job_id").asText());
        }
    }
}
