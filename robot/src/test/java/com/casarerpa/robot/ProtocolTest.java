package com.casarerpa.robot;

import static com.casarerpa.robot.testing.Flows.log;
import static com.casarerpa.robot.testing.Flows.waitSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.robot.testing.Flows;
import com.casarerpa.robot.testing.LocalRobot;
import com.casarerpa.robot.testing.ScriptedServer;
import com.casarerpa.robot.testing.ScriptedServer.Peer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The robot's side of docs/websocket-api.md in the cases the real server produces rarely or not
 * on cue, against a scripted peer.
 */
class ProtocolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String LONG = Flows.chain("long", log("working"), waitSeconds(60));

    @TempDir
    Path robotDir;

    /**
     * A robot on the scripted server. Closing it makes the server answer everything first, as the
     * orchestrator would, so the robot stops at once: the test's script is over by then.
     */
    private LocalRobot robot(ScriptedServer server, Map<String, String> flags) throws Exception {
        return LocalRobot.start(server.url(), "crpa_k", robotDir, flags).beforeClose(server::answerEverything);
    }

    private static Peer registered(ScriptedServer server, int n, String robotId) {
        Peer p = server.connection(n, WAIT);
        JsonNode register = p.next("register", WAIT);
        p.send(ScriptedServer.registered(register, robotId, 1, "[]", "[]"));
        return p;
    }

    @Test
    void register_carries_identity_slots_and_node_types_then_heartbeats_list_the_held_jobs() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
                LocalRobot robot = robot(server, Map.of("robot.max_jobs", "2",
                        "robot.capabilities", "browser", "robot.shutdown_grace_seconds", "0"))) {
            Peer p = server.connection(1, WAIT);
            JsonNode register = p.next("register", WAIT);
            assertThat(register.get("protocol_version").asInt()).isEqualTo(1);
            assertThat(register.has("robot_id")).as("first start: the server assigns the id").isFalse();
            assertThat(register.get("max_concurrent_jobs").asInt()).isEqualTo(2);
            assertThat(register.get("capabilities")).extracting(JsonNode::asText).containsExactly("browser");
            assertThat(register.get("node_types")).extracting(JsonNode::asText).contains("StartNode", "WaitNode", "LogNode")
                    .as("running commands is off by default").doesNotContain("RunCommandNode");
            assertThat(register.get("jobs")).isEmpty();
            assertThat(register.get("agent_version").asText()).startsWith("casare-rpa ");
            p.send(ScriptedServer.registered(register, "robot-assigned-1", 1, "[]", "[]"));

            JsonNode hb = p.next("heartbeat", WAIT);
            assertThat(hb.get("jobs")).isEmpty();
            assertThat(hb.get("cpu_percent").asDouble()).isBetween(0.0, 100.0);
            p.ack(hb, "\"leases\":[],\"lost\":[]");

            p.send(ScriptedServer.assign("job_a", "lt_a", LONG));
            JsonNode started = p.next("job_started", WAIT);
            assertThat(started.get("lease_token").asText()).isEqualTo("lt_a");
            p.ack(started, "\"job_state\":\"running\",\"duplicate\":false");
            JsonNode progress = p.next("job_progress", WAIT);
            assertThat(progress.has("id")).as("progress asks for no answer").isFalse();
            JsonNode withJob = p.take(m -> m.path("type").asText().equals("heartbeat") && m.get("jobs").size() == 1, WAIT);
            assertThat(withJob.at("/jobs/0/job_id").asText()).isEqualTo("job_a");
            assertThat(robot.agent().robotId()).contains("robot-assigned-1");
        }
    }

    @Test
    void progress_is_throttled_to_two_a_second_and_logs_go_before_the_final_report() throws Exception {
        Flows.Node[] many = new Flows.Node[40];
        for (int i = 0; i < many.length; i++) {
            many[i] = Flows.set("v" + i, "x");
        }
        try (ScriptedServer server = new ScriptedServer();
                LocalRobot robot = robot(server, Map.of())) {
            Peer p = registered(server, 1, "r1");
            p.send(ScriptedServer.assign("job_a", "lt_a", Flows.chain("many", many)));
            await().atMost(WAIT).until(() -> p.all().stream().anyMatch(m -> m.path("type").asText().equals("job_completed")));
            List<String> types = p.all().stream().map(m -> m.path("type").asText()).filter(t -> !t.equals("heartbeat")).toList();
            long progress = types.stream().filter("job_progress"::equals).count();
            assertThat(progress).as("42 nodes in well under a second: one progress, maybe two").isBetween(1L, 2L);
            assertThat(types.get(0)).isEqualTo("job_started");
            assertThat(types.indexOf("log_batch")).isPositive().isLessThan(types.indexOf("job_completed"));
            JsonNode done = p.next("job_completed", WAIT);
            assertThat(done.at("/result/executed_nodes").asInt()).isEqualTo(42);
            p.ack(done, "\"job_state\":\"succeeded\",\"duplicate\":false");
        }
    }

    @Test
    void a_duplicate_assign_is_ignored_a_full_robot_releases_and_an_unknown_cancel_is_answered() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
                LocalRobot robot = robot(server, Map.of("robot.shutdown_grace_seconds", "0"))) {
            Peer p = registered(server, 1, "r1");
            p.send(ScriptedServer.assign("job_a", "lt_a", LONG));
            p.next("job_started", WAIT);
            p.send(ScriptedServer.assign("job_a", "lt_a", LONG));
            p.send(ScriptedServer.assign("job_b", "lt_b", LONG));
            JsonNode release = p.next("job_release", WAIT);
            assertThat(release.get("job_id").asText()).isEqualTo("job_b");
            assertThat(release.get("reason").asText()).isEqualTo("no_free_slot");

            p.send("{\"type\":\"job_cancel\",\"id\":\"s-77\",\"job_id\":\"job_zz\",\"lease_token\":\"lt_zz\",\"reason\":\"cancelled\","
                    + "\"message\":\"x\",\"grace_seconds\":30}");
            JsonNode cancelled = p.next("job_cancelled", WAIT);
            assertThat(cancelled.get("job_id").asText()).isEqualTo("job_zz");
            assertThat(cancelled.get("was_running").asBoolean()).isFalse();
            assertThat(cancelled.get("reply_to").asText()).isEqualTo("s-77");

            p.send("{\"type\":\"something_newer\",\"id\":\"s-78\"}");
            p.next("heartbeat", WAIT);
            p.next("heartbeat", WAIT);
            assertThat(p.all()).noneMatch(m -> m.path("type").asText().equals("job_started"));
            assertThat(p.closeCode()).isNull();
        }
    }

    @Test
    void a_lease_lost_at_a_heartbeat_stops_the_job_and_nothing_is_reported() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
                LocalRobot robot = robot(server, Map.of())) {
            Peer p = registered(server, 1, "r1");
            p.send(ScriptedServer.assign("job_a", "lt_a", LONG));
            p.next("job_started", WAIT);
            JsonNode hb = p.take(m -> m.path("type").asText().equals("heartbeat") && m.get("jobs").size() == 1, WAIT);
            p.ack(hb, "\"leases\":[],\"lost\":[{\"job_id\":\"job_a\",\"lease_token\":\"lt_a\",\"reason\":\"expired\"}]");
            p.take(m -> m.path("type").asText().equals("heartbeat") && m.get("jobs").isEmpty(), WAIT);
            p.clear();
            // two more heartbeats: time enough for a report or a log batch, had the robot wrongly sent one
            p.next("heartbeat", WAIT);
            p.next("heartbeat", WAIT);
            assertThat(p.all()).noneMatch(m -> List.of("job_completed", "job_failed", "job_cancelled", "log_batch")
                    .contains(m.path("type").asText()));
        }
    }

    @Test
    void a_stale_lease_answer_stops_the_job() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
                LocalRobot robot = robot(server, Map.of())) {
            Peer p = registered(server, 1, "r1");
            p.send(ScriptedServer.assign("job_a", "lt_a", LONG));
            JsonNode started = p.next("job_started", WAIT);
            p.send("{\"type\":\"error\",\"reply_to\":\"" + started.get("id").asText() + "\",\"code\":\"stale_lease\",\"message\":\"gone\","
                    + "\"field\":null,\"retryable\":false,\"details\":{\"type\":\"job_started\",\"job_id\":\"job_a\",\"reason\":\"expired\"}}");
            p.take(m -> m.path("type").asText().equals("heartbeat") && m.get("jobs").isEmpty(), WAIT);
        }
    }

    @Test
    void after_a_break_the_robot_resumes_with_its_jobs_and_sends_logs_before_the_final_report() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
                LocalRobot robot = robot(server, Map.of())) {
            Peer first = registered(server, 1, "robot-keep");
            first.send(ScriptedServer.assign("job_a", "lt_a", Flows.chain("short", log("one"), waitSeconds(1), log("two"))));
            first.next("job_started", WAIT);
            first.close(1011, "internal error: scripted");

            Peer second = server.connection(2, WAIT);
            JsonNode register = second.next("register", WAIT);
            assertThat(register.get("robot_id").asText()).isEqualTo("robot-keep");
            assertThat(register.get("jobs")).hasSize(1);
            assertThat(register.at("/jobs/0/lease_token").asText()).isEqualTo("lt_a");
            assertThat(register.at("/jobs/0/state").asText()).isIn("running", "finished");
            second.send(ScriptedServer.registered(register, "robot-keep", 1,
                    "[{\"job_id\":\"job_a\",\"lease_token\":\"lt_a\",\"lease_expires_at\":\"2026-11-27T09:05:00.000Z\",\"cancel_requested\":null}]",
                    "[]"));
            JsonNode done = second.next("job_completed", WAIT);
            List<JsonNode> batches = second.all().stream().filter(m -> m.path("type").asText().equals("log_batch")).toList();
            assertThat(batches).isNotEmpty();
            assertThat(batches.get(0).at("/entries/0/seq").asLong()).isEqualTo(1);
            assertThat(batches.stream().flatMap(b -> b.get("entries").valueStream()).map(e -> e.get("message").asText()))
                    .anySatisfy(m -> assertThat(m).contains("two"));
            assertThat(done.get("lease_token").asText()).isEqualTo("lt_a");
            second.ack(done, "\"job_state\":\"succeeded\",\"duplicate\":false");
            second.take(m -> m.path("type").asText().equals("heartbeat") && m.get("jobs").isEmpty(), WAIT);
        }
    }

    @Test
    void drain_reconnects_at_once_and_three_unanswered_heartbeats_drop_a_dead_connection() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
                LocalRobot robot = robot(server, Map.of())) {
            Peer first = registered(server, 1, "r1");
            first.send("{\"type\":\"drain\",\"id\":\"s-1\",\"reason\":\"shutting_down\",\"reconnect_delay_ms\":0}");
            await().atMost(WAIT).until(() -> first.closeCode() != null);
            assertThat(first.closeCode()).isEqualTo(1000);
            Peer second = registered(server, 2, "r1");
            // heartbeats every second, never answered: the robot gives up on the connection
            await().atMost(Duration.ofSeconds(15)).until(() -> server.connections() >= 3);
            assertThat(second.all().stream().filter(m -> m.path("type").asText().equals("heartbeat")).count()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void a_register_the_server_cannot_serve_now_1013_is_retried_promptly_every_time() throws Exception {
        int refusals = 5;
        int retryAfterMs = 200;
        try (ScriptedServer server = new ScriptedServer();
                LocalRobot robot = robot(server, Map.of())) {
            long start = System.nanoTime();
            for (int n = 1; n <= refusals; n++) {
                Peer p = server.connection(n, WAIT);
                JsonNode register = p.next("register", WAIT);
                p.send("{\"type\":\"error\",\"reply_to\":\"" + register.get("id").asText() + "\",\"code\":\"unavailable\","
                        + "\"message\":\"the database did not answer in time\",\"field\":null,\"retryable\":true,"
                        + "\"details\":{\"type\":\"register\",\"retry_after_ms\":" + retryAfterMs + "}}");
                p.close(1013, "try again later: the database did not answer in time");
            }
            registered(server, refusals + 1, "r1");
            // Backoff for a failure of the robot's own would wait up to 1, 2, 4, 8 and 16 s (full jitter):
            // about 15.5 s on average. A server's "try again later" is retried after its hint (+ jitter),
            // and not before.
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(Duration.ofMillis((long) refusals * retryAfterMs), Duration.ofSeconds(8));
            await().atMost(WAIT).until(() -> robot.agent().state() == com.casarerpa.robot.agent.RobotAgent.State.CONNECTED);
        }
    }

    @Test
    void without_a_cancel_from_the_server_the_robot_stops_a_job_past_its_timeout_and_the_grace_itself() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
                LocalRobot robot = robot(server, Map.of())) {
            Peer p = server.connection(1, WAIT);
            JsonNode register = p.next("register", WAIT);
            p.send(ScriptedServer.registered(register, "r1", 1, 1, "[]", "[]"));
            p.send(ScriptedServer.assign("job_a", "lt_a", LONG, 1));
            p.next("job_started", WAIT);
            JsonNode stopped = p.next("job_cancelled", WAIT);
            assertThat(stopped.get("reason").asText()).isEqualTo("timed_out");
            assertThat(stopped.has("reply_to")).as("not an answer to a job_cancel").isFalse();
            assertThat(stopped.get("lease_token").asText()).isEqualTo("lt_a");
        }
    }

    @Test
    void close_4009_stops_the_robot_with_an_error() throws Exception {
        try (ScriptedServer server = new ScriptedServer();
                LocalRobot robot = robot(server, Map.of())) {
            Peer p = registered(server, 1, "r1");
            p.close(4009, "replaced: robot r1 registered on another connection");
            assertThat(robot.exit().get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(robot.agent().failure().orElseThrow()).contains("another process registered as robot r1");
            assertThat(server.connections()).isEqualTo(1);
        }
    }

    @Test
    void a_refused_handshake_503_is_retried_and_403_stops_the_robot() throws Exception {
        try (ScriptedServer server = new ScriptedServer()) {
            server.refuse(2, 503);
            try (LocalRobot robot = robot(server, Map.of())) {
                registered(server, 1, "r1");
            }
            server.refuse(1, 403);
            try (LocalRobot robot = LocalRobot.start(server.url(), "crpa_k", robotDir.resolve("other"), Map.of())) {
                assertThat(robot.exit().get(10, TimeUnit.SECONDS)).isEqualTo(1);
                assertThat(robot.agent().failure().orElseThrow()).contains("403");
            }
        }
    }
}
