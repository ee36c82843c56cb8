package com.casarerpa.orchestrator.ws;

import static com.casarerpa.testkit.TestRobot.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The framing and the handshake of {@code /ws/robots} (docs/websocket-api.md): who may connect,
 * what a malformed or oversized message does, replaced connections and the drain on stop. These
 * do not depend on the database product, so they run on the embedded one.
 */
class RobotChannelProtocolTest {
    @TempDir
    Path workDir;
    ChannelServer s;

    @BeforeEach
    void setUp() {
        s = ChannelServer.embedded(workDir);
    }

    @AfterEach
    void tearDown() {
        s.close();
    }

    @Test
    void the_handshake_is_refused_without_a_robot_or_admin_key_and_accepted_with_one_in_any_of_the_three_places() {
        assertThat(TestRobot.refusal(s.port(), "", Map.of())).contains(401);
        assertThat(TestRobot.refusal(s.port(), "", Map.of("X-API-Key", "crpa_unknown"))).contains(401);
        assertThat(TestRobot.refusal(s.port(), "", Map.of("X-API-Key", s.key("viewer", "Viewer")))).contains(403);
        assertThat(TestRobot.refusal(s.port(), "", Map.of("X-API-Key", s.key("operator", "Operator")))).contains(403);
        JsonNode created = s.http.post("/api/v1/api-keys", "{\"name\":\"Revoked\",\"role\":\"robot\"}", s.admin).json();
        String revoked = created.get("key").asText();
        assertThat(s.http.delete("/api/v1/api-keys/" + created.get("id").asText(), s.admin).status()).isEqualTo(200);
        assertThat(TestRobot.refusal(s.port(), "", Map.of("Authorization", "Bearer " + revoked))).contains(401);

        assertThat(TestRobot.refusal(s.port(), "", Map.of("X-API-Key", s.robotKey))).isEmpty();
        assertThat(TestRobot.refusal(s.port(), "?api_key=" + s.robotKey, Map.of())).isEmpty();
        assertThat(TestRobot.refusal(s.port(), "", Map.of("Authorization", "Bearer " + s.admin.get("X-API-Key")))).isEmpty();
    }

    @Test
    void a_malformed_message_gets_an_error_naming_it_and_the_connection_keeps_working() {
        TestRobot robot = s.robot();
        JsonNode early = robot.call(message("heartbeat").set("jobs", Json.mapper().createArrayNode()));
        assertThat(early.get("code").asText()).isEqualTo("not_registered");
        assertThat(early.get("retryable").asBoolean()).isTrue();

        robot.sendRaw("{not json");
        JsonNode notJson = robot.next("error");
        assertThat(notJson.get("code").asText()).isEqualTo("invalid_request");
        assertThat(notJson.get("reply_to").isNull()).isTrue();

        assertThat(robot.register(Json.mapper().createObjectNode().put("robot_id", "framing")).get("type").asText())
                .isEqualTo("registered");
        JsonNode wrongType = robot.call(message("heartbeat").put("cpu_percent", "high").set("jobs", Json.mapper().createArrayNode()));
        assertThat(wrongType.get("code").asText()).isEqualTo("invalid_request");
        assertThat(wrongType.get("field").asText()).isEqualTo("cpu_percent");
        assertThat(wrongType.at("/details/type").asText()).isEqualTo("heartbeat");
        JsonNode unknown = robot.call(message("hearbeat"));
        assertThat(unknown.get("code").asText()).isEqualTo("unknown_type");
        JsonNode badEntry = robot.call(message("log_batch").put("job_id", "j").put("lease_token", "t")
                .set("entries", Json.mapper().createArrayNode().add(Json.mapper().createObjectNode().put("seq", 1))));
        assertThat(badEntry.get("field").asText()).isEqualTo("entries[0].timestamp");
        JsonNode tooLong = robot.call(message("lease_extend").put("job_id", "j").put("lease_token", "t")
                .put("extension_seconds", 3601));
        assertThat(tooLong.get("code").asText()).as("refused, as on REST, before the lease is looked up").isEqualTo("invalid_request");
        assertThat(tooLong.get("field").asText()).isEqualTo("extension_seconds");
        JsonNode again = robot.call(message("register").put("protocol_version", 1).put("hostname", "h"));
        assertThat(again.get("code").asText()).isEqualTo("invalid_request");

        for (String field : new String[] {"cpu_percent", "memory_percent"}) {
            for (double outside : new double[] {100.5, -1}) {
                JsonNode refused = robot.call(message("heartbeat").put(field, outside).set("jobs", Json.mapper().createArrayNode()));
                assertThat(refused.get("code").asText()).isEqualTo("invalid_request");
                assertThat(refused.get("field").asText()).isEqualTo(field);
            }
        }
        JsonNode nul = robot.call(message("heartbeat").set("jobs", Json.mapper().createArrayNode()
                .add(Json.mapper().createObjectNode().put("job_id", "job\u0000x").put("lease_token", "t"))));
        assertThat(nul.get("code").asText()).as(nul.toString()).isEqualTo("invalid_request");
        assertThat(nul.get("field").asText()).isEqualTo("jobs[0].job_id");
        assertThat(nul.get("message").asText()).contains("NUL");

        JsonNode beat = robot.call(message("heartbeat").put("cpu_percent", 3.5).set("jobs", Json.mapper().createArrayNode()));
        assertThat(beat.get("type").asText()).isEqualTo("ack");
        assertThat(robot.isClosed()).isFalse();
    }

    @Test
    void a_message_over_one_mebibyte_closes_the_connection_with_1009() {
        TestRobot robot = s.robot();
        robot.register(Json.mapper().createObjectNode().put("robot_id", "big"));
        robot.sendRaw("{\"type\":\"heartbeat\",\"jobs\":[],\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}");
        assertThat(robot.closeCode()).isEqualTo(1009);
    }

    @Test
    void registering_with_another_key_s_robot_or_an_unsupported_version_closes_with_the_protocol_s_code() {
        TestRobot owner = s.robot();
        owner.register(Json.mapper().createObjectNode().put("robot_id", "owned"));
        TestRobot thief = s.track(TestRobot.connect(s.port(), s.key("robot", "Other fleet")));
        JsonNode refused = thief.register(Json.mapper().createObjectNode().put("robot_id", "owned"));
        assertThat(refused.get("code").asText()).isEqualTo("forbidden");
        assertThat(thief.closeCode()).isEqualTo(4003);

        TestRobot future = s.robot();
        JsonNode version = future.call(message("register").put("protocol_version", 7).put("min_protocol_version", 5)
                .put("hostname", "h"));
        assertThat(version.get("code").asText()).isEqualTo("unsupported_protocol_version");
        assertThat(future.closeCode()).isEqualTo(4010);

        TestRobot bound = s.track(TestRobot.connect(s.port(), s.key("robot", "Bound", "solo")));
        assertThat(bound.register(Json.mapper().createObjectNode()).get("robot_id").asText()).isEqualTo("solo");
    }

    @Test
    void a_second_connection_of_the_same_robot_replaces_the_first_with_4009() {
        TestRobot first = s.robot();
        first.register(Json.mapper().createObjectNode().put("robot_id", "twin"));
        TestRobot second = s.robot();
        assertThat(second.register(Json.mapper().createObjectNode().put("robot_id", "twin")).get("type").asText())
                .isEqualTo("registered");
        assertThat(first.next("error").get("code").asText()).isEqualTo("replaced");
        assertThat(first.closeCode()).isEqualTo(4009);
        assertThat(second.isClosed()).isFalse();
    }

    @Test
    void stopping_the_server_drains_its_robots() {
        TestRobot robot = s.robot();
        robot.register(Json.mapper().createObjectNode().put("robot_id", "drained"));
        Thread stopper = Thread.ofVirtual().start(() -> s.server.orchestrator().close());
        JsonNode drain = robot.next("drain");
        assertThat(drain.get("reason").asText()).isEqualTo("shutting_down");
        assertThat(drain.get("reconnect_delay_ms").asInt()).isBetween(0, 1000);
        assertThat(robot.closeCode()).isEqualTo(1000);
        await().until(() -> !stopper.isAlive());
    }

    @Test
    void a_robot_in_maintenance_gets_no_new_work_and_one_that_says_goodbye_goes_offline_with_its_leases_ended() {
        TestRobot robot = s.robot();
        robot.register(Json.mapper().createObjectNode().put("robot_id", "careful"));
        assertThat(s.http.post("/api/v1/robots/careful/maintenance", "{\"enabled\":true}", s.admin).status()).isEqualTo(200);
        String jobId = s.submit();
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2))
                .until(() -> robot.pending("job_assign").isEmpty());
        s.http.post("/api/v1/robots/careful/maintenance", "{\"enabled\":false}", s.admin);
        JsonNode assign = robot.next("job_assign");
        assertThat(assign.get("job_id").asText()).isEqualTo(jobId);

        assertThat(robot.call(message("goodbye").put("reason", "shutdown")).get("type").asText()).isEqualTo("ack");
        robot.close();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(s.http.get("/api/v1/robots/careful", s.admin).json().get("status").asText()).isEqualTo("offline");
            assertThat(s.job(jobId).state()).isEqualTo(JobState.PENDING);
        });
    }
}
