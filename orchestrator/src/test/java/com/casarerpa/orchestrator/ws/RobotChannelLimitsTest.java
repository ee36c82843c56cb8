package com.casarerpa.orchestrator.ws;

import static com.casarerpa.testkit.TestRobot.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closes and limits the server decides on its own, on a real clock with short settings
 * (robots.* keys): register deadline (1008), heartbeat timeout (4008), key re-check (4001),
 * robot deletion (4004), the message rate limit and the 100-errors-a-minute close (1008).
 */
class RobotChannelLimitsTest {
    @TempDir
    static Path workDir;
    static ChannelServer s;

    @BeforeAll
    static void start() {
        s = ChannelServer.embedded(workDir, Map.of(
                "CASARE_ROBOTS_HEARTBEAT_INTERVAL_SECONDS", "1",
                "CASARE_ROBOTS_HEARTBEAT_TIMEOUT_SECONDS", "3",
                "CASARE_ROBOTS_REGISTER_TIMEOUT_SECONDS", "1",
                "CASARE_ROBOTS_KEY_RECHECK_SECONDS", "1",
                "CASARE_ROBOTS_CANCEL_GRACE_SECONDS", "7",
                "CASARE_ROBOTS_RATE_LIMIT_MESSAGES_PER_SECOND", "2",
                "CASARE_ROBOTS_RATE_LIMIT_BURST", "5"));
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    static ObjectNode fields(String robotId) {
        return Json.mapper().createObjectNode().put("robot_id", robotId);
    }

    static ObjectNode heartbeat() {
        ObjectNode m = message("heartbeat");
        m.putArray("jobs");
        return m;
    }

    /** The error the server sent on its own ({@code reply_to: null}) before closing. */
    static JsonNode closingError(TestRobot robot) {
        return robot.awaitMessage(m -> "error".equals(m.path("type").asText()) && m.path("reply_to").isNull()
                && !"rate_limited".equals(m.path("code").asText()));
    }

    @Test
    void registered_carries_the_configured_timings() {
        TestRobot robot = s.robot();
        JsonNode registered = robot.register(fields("timings"));
        assertThat(registered.get("heartbeat_interval_seconds").asInt()).isEqualTo(1);
        assertThat(registered.get("heartbeat_timeout_seconds").asInt()).isEqualTo(3);
        assertThat(registered.get("cancel_grace_seconds").asInt()).isEqualTo(7);
    }

    @Test
    void a_connection_that_does_not_register_in_time_is_closed_with_1008() {
        long opened = System.nanoTime();
        TestRobot robot = s.robot();
        assertThat(robot.closeCode(Duration.ofSeconds(5))).isEqualTo(1008);
        assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(closingError(robot).get("code").asText()).isEqualTo("register_timeout");
    }

    @Test
    void a_robot_silent_past_the_heartbeat_timeout_is_closed_with_4008_and_marked_offline() {
        TestRobot robot = s.robot();
        robot.register(fields("silent"));
        long lastBeat = System.nanoTime();
        assertThat(robot.call(heartbeat()).get("type").asText()).isEqualTo("ack");
        assertThat(robot.closeCode(Duration.ofSeconds(8))).isEqualTo(4008);
        assertThat(Duration.ofNanos(System.nanoTime() - lastBeat)).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(closingError(robot).get("code").asText()).isEqualTo("heartbeat_timeout");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(s.http.get("/api/v1/robots/silent", s.admin).json().get("status").asText()).isEqualTo("offline"));
    }

    /**
     * For longer than the 3 s timeout, the robot heartbeats each time the server has checked its
     * connection since the last heartbeat (the supervisor runs every second, as the robot's
     * heartbeat interval): every check sees a robot that is not silent, and closes nothing.
     */
    @Test
    void a_robot_that_keeps_heartbeating_is_not_closed() {
        TestRobot robot = s.robot();
        robot.register(fields("lively"));
        long start = System.nanoTime();
        while (Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0) {
            assertThat(robot.call(heartbeat()).get("type").asText()).isEqualTo("ack");
            Instant beat = Instant.now();
            await("a connection check after the heartbeat").atMost(Duration.ofSeconds(5)).until(() -> connectionsCheckedAfter(beat));
        }
        assertThat(robot.isClosed()).isFalse();
    }

    /** Whether the server's connection supervisor completed a pass after {@code t}. */
    static boolean connectionsCheckedAfter(Instant t) {
        return s.server.orchestrator().loops().stream().filter(l -> l.name().equals("robot-channel"))
                .flatMap(l -> l.lastSuccess().stream()).anyMatch(at -> at.isAfter(t));
    }

    @Test
    void a_key_revoked_while_connected_closes_the_connection_with_4001_within_the_recheck() {
        JsonNode created = s.http.post("/api/v1/api-keys", "{\"name\":\"Revoked\",\"role\":\"robot\"}", s.admin).json();
        String key = created.get("key").asText();
        String keyId = created.get("id").asText();
        TestRobot robot = s.track(TestRobot.connect(s.port(), key));
        assertThat(robot.register(fields("revoked")).get("type").asText()).isEqualTo("registered");
        assertThat(s.http.delete("/api/v1/api-keys/" + keyId, s.admin).status()).isEqualTo(200);
        robot.call(heartbeat());
        assertThat(robot.closeCode(Duration.ofSeconds(3))).isEqualTo(4001);
        assertThat(closingError(robot).get("code").asText()).isEqualTo("unauthorized");
    }

    @Test
    void deleting_a_connected_robot_closes_its_connection_with_4004() {
        TestRobot robot = s.robot();
        robot.register(fields("doomed"));
        assertThat(s.http.delete("/api/v1/robots/doomed", s.admin).status()).isBetween(200, 204);
        assertThat(robot.closeCode(Duration.ofSeconds(2))).isEqualTo(4004);
        assertThat(closingError(robot).get("code").asText()).isEqualTo("robot_deleted");
    }

    @Test
    void messages_above_the_rate_are_refused_with_rate_limited_and_the_connection_survives() {
        TestRobot robot = s.robot();
        robot.register(fields("chatty"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(robot.request(heartbeat()));
        }
        List<JsonNode> answers = ids.stream().map(id -> robot.awaitMessage(m -> id.equals(m.path("reply_to").asText(null)))).toList();
        List<JsonNode> limited = answers.stream().filter(a -> "rate_limited".equals(a.path("code").asText())).toList();
        assertThat(limited).as(answers.toString()).isNotEmpty();
        assertThat(answers.stream().filter(a -> "ack".equals(a.path("type").asText()))).hasSizeGreaterThanOrEqualTo(4);
        JsonNode first = limited.getFirst();
        assertThat(first.get("retryable").asBoolean()).isTrue();
        assertThat(first.at("/details/retry_after_ms").asLong()).isBetween(1L, 1000L);
        assertThat(first.at("/details/type").asText()).isEqualTo("heartbeat");

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(600))
                .until(() -> "ack".equals(robot.call(heartbeat()).path("type").asText()));
        assertThat(robot.isClosed()).isFalse();
    }

    @Test
    void more_than_100_errors_in_a_minute_close_the_connection_with_1008() {
        TestRobot robot = s.robot();
        robot.register(fields("broken"));
        for (int i = 0; i < 100; i++) {
            robot.sendRaw("not json " + i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> robot.pending("error").size() >= 100);
        assertThat(robot.isClosed()).as("100 errors are still tolerated").isFalse();
        robot.sendRaw("not json either");
        assertThat(robot.closeCode(Duration.ofSeconds(5))).isEqualTo(1008);
        assertThat(robot.pending("error").stream().filter(e -> "too_many_errors".equals(e.path("code").asText()))).hasSize(1);
    }
}
