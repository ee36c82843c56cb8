package com.casarerpa.orchestrator.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.TestPostgres;
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
 * Two instances on one PostgreSQL database: a robot has one session across both. A register on
 * B replaces the robot's connection on A (closed with 4009, through the database), A no longer
 * dispatches to it, and deleting the robot on B closes its connection on A with 4004.
 */
class OneSessionAcrossInstancesTest {
    @TempDir
    Path workA;
    @TempDir
    Path workB;
    String db;
    ChannelServer a;
    ChannelServer b;

    @BeforeEach
    void start() {
        db = TestPostgres.createDatabase();
        a = ChannelServer.postgresOn(workA, db, Map.of());
        b = ChannelServer.postgresOn(workB, db, Map.of());
    }

    @AfterEach
    void stop() {
        b.close();
        a.close();
        TestPostgres.dropDatabase(db);
    }

    static JsonNode register(TestRobot robot, String robotId) {
        JsonNode answer = robot.register(Json.mapper().createObjectNode().put("robot_id", robotId).put("max_concurrent_jobs", 2));
        assertThat(answer.get("type").asText()).as(answer.toString()).isEqualTo("registered");
        return answer;
    }

    @Test
    void a_register_on_another_instance_closes_the_old_connection_with_4009_and_only_the_new_one_gets_work() {
        TestRobot onA = a.robot();
        register(onA, "roamer");
        TestRobot onB = TestRobot.connect(b.port(), a.robotKey);
        b.track(onB);
        long registeredAt = System.nanoTime();
        register(onB, "roamer");

        assertThat(onA.closeCode(Duration.ofSeconds(3))).isEqualTo(4009);
        assertThat(Duration.ofNanos(System.nanoTime() - registeredAt)).as("told through the database")
                .isLessThan(Duration.ofSeconds(2));
        JsonNode replaced = onA.awaitMessage(m -> "error".equals(m.path("type").asText()));
        assertThat(replaced.get("code").asText()).isEqualTo("replaced");
        assertThat(replaced.get("reply_to").isNull()).isTrue();

        String job1 = a.submit();
        String job2 = a.submit();
        assertThat(java.util.List.of(onB.next("job_assign").get("job_id").asText(), onB.next("job_assign").get("job_id").asText()))
                .containsExactlyInAnyOrder(job1, job2);
        assertThat(onA.pending("job_assign")).isEmpty();
        assertThat(onB.isClosed()).isFalse();
    }

    @Test
    void deleting_a_robot_on_one_instance_closes_its_connection_on_the_other_with_4004() {
        TestRobot onA = a.robot();
        register(onA, "doomed");
        long deletedAt = System.nanoTime();
        assertThat(b.http.delete("/api/v1/robots/doomed", b.admin).status()).isBetween(200, 204);
        assertThat(onA.closeCode(Duration.ofSeconds(3))).isEqualTo(4004);
        assertThat(Duration.ofNanos(System.nanoTime() - deletedAt)).isLessThan(Duration.ofSeconds(2));
        JsonNode error = onA.awaitMessage(m -> "error".equals(m.path("type").asText()));
        assertThat(error.get("code").asText()).isEqualTo("robot_deleted");
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(b.http.get("/api/v1/robots/doomed", b.admin).status()).isEqualTo(404));
    }
}
