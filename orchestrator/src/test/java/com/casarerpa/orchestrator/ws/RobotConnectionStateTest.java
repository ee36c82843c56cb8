package com.casarerpa.orchestrator.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.EventStream;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * A robot's connection as the API shows it ({@code connection}, {@code instance},
 * {@code offline_at}): a WebSocket that drops without a goodbye is {@code lost} at once, on the
 * live feed as a robot change whose status stays, while the robot keeps its status until the
 * heartbeat sweep takes it offline; a reconnect makes it {@code connected} again. On PostgreSQL
 * the same is seen from another instance than the one that held the connection.
 */
class RobotConnectionStateTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    /** A short heartbeat timeout, so the sweep's verdict comes within the test. */
    static final int TIMEOUT_SECONDS = 8;
    static final Map<String, String> ENV = Map.of("CASARE_ROBOTS_HEARTBEAT_INTERVAL_SECONDS", "2",
            "CASARE_ROBOTS_HEARTBEAT_TIMEOUT_SECONDS", String.valueOf(TIMEOUT_SECONDS));

    static TestRobot registered(ChannelServer on, String robotKey, String robotId) {
        TestRobot robot = on.track(TestRobot.connect(on.port(), robotKey));
        JsonNode answer = robot.register(Json.mapper().createObjectNode().put("robot_id", robotId));
        assertThat(answer.get("type").asText()).as(answer.toString()).isEqualTo("registered");
        return robot;
    }

    static JsonNode robot(ChannelServer on, String robotId) {
        return on.http.get("/api/v1/robots/" + robotId, on.admin).json();
    }

    static EventStream robotFeed(ChannelServer on) {
        EventStream feed = EventStream.open(on.port(), "kinds=robot", on.admin);
        assertThat(feed.status()).isEqualTo(200);
        return feed;
    }

    /**
     * The next change of the robot made after {@code since} whose status stayed {@code status}: its
     * connection opened or closed (an earlier one, of the register, may still be on its way).
     */
    static JsonNode nextConnectionChange(EventStream feed, String robotId, String status, Instant since) {
        return feed.next(e -> e.event().equals("change") && e.json().path("id").asText().equals(robotId)
                && e.json().path("from").asText().equals(status) && e.json().path("to").asText().equals(status)
                && !Instant.parse(e.json().path("at").asText()).isBefore(since), WAIT).json();
    }

    static void assertOfflineAtIsHeartbeatPlusTimeout(JsonNode robot) {
        assertThat(Instant.parse(robot.get("offline_at").asText()))
                .isEqualTo(Instant.parse(robot.get("last_heartbeat").asText()).plusSeconds(TIMEOUT_SECONDS));
    }

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path workDir;
        ChannelServer s;

        @BeforeEach
        void setUp() {
            s = database.isPostgres() ? ChannelServer.postgres(workDir, ENV) : ChannelServer.embedded(workDir, ENV);
        }

        @AfterEach
        void tearDown() {
            s.close();
        }

        @Test
        void a_connection_dropped_without_goodbye_is_lost_at_once_until_a_reconnect_or_the_sweep() {
            try (EventStream feed = robotFeed(s)) {
                TestRobot first = registered(s, s.robotKey, "r-blip");
                feed.nextChange("robot", "r-blip", "online", WAIT);
                JsonNode connected = robot(s, "r-blip");
                assertThat(connected.get("connection").asText()).isEqualTo("connected");
                assertThat(connected.get("instance").isNull()).isFalse();
                assertOfflineAtIsHeartbeatPlusTimeout(connected);

                Instant dropped = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                first.abort();
                nextConnectionChange(feed, "r-blip", "online", dropped);
                JsonNode lost = robot(s, "r-blip");
                assertThat(lost.get("connection").asText()).isEqualTo("lost");
                assertThat(lost.get("status").asText()).as("kept until the sweep").isEqualTo("online");
                assertThat(lost.get("instance").isNull()).isTrue();
                assertOfflineAtIsHeartbeatPlusTimeout(lost);

                Instant back = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                registered(s, s.robotKey, "r-blip");
                nextConnectionChange(feed, "r-blip", "online", back);
                assertThat(robot(s, "r-blip").get("connection").asText()).as("a reconnect clears it").isEqualTo("connected");
            }
        }

        @Test
        void the_sweep_takes_a_lost_robot_offline_and_then_it_has_no_connection() {
            try (EventStream feed = robotFeed(s)) {
                TestRobot robot = registered(s, s.robotKey, "r-gone");
                // The feed sends one message per robot per flush (250 ms), from its first change to
                // its last: dropped before the registration went out, the drop would be folded into it.
                feed.nextChange("robot", "r-gone", "online", WAIT);
                Instant dropped = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                robot.abort();
                nextConnectionChange(feed, "r-gone", "online", dropped);
                assertThat(robot(s, "r-gone").get("connection").asText()).isEqualTo("lost");

                JsonNode offline = feed.nextChange("robot", "r-gone", "offline", Duration.ofSeconds(TIMEOUT_SECONDS + 15)).json();
                assertThat(offline.get("from").asText()).isEqualTo("online");
                JsonNode after = robot(s, "r-gone");
                assertThat(after.get("status").asText()).isEqualTo("offline");
                assertThat(after.get("connection").asText()).isEqualTo("none");
                assertThat(after.get("offline_at").isNull()).isTrue();
            }
        }

        @Test
        void a_rest_robot_holds_no_connection_and_is_never_lost() {
            String key = s.key("robot", "rest");
            assertThat(s.http.post("/api/v1/robots/register", "{\"robot_id\":\"r-rest\"}", Map.of("X-API-Key", key)).status())
                    .isEqualTo(200);
            JsonNode rest = robot(s, "r-rest");
            assertThat(rest.get("connection").asText()).isEqualTo("none");
            assertThat(rest.get("instance").isNull()).isTrue();
            assertOfflineAtIsHeartbeatPlusTimeout(rest);
        }
    }

    @TempDir
    Path workA;
    @TempDir
    Path workB;

    @Test
    void a_connection_that_drops_on_another_instance_is_seen_lost_here_at_once() {
        String db = TestPostgres.createDatabase();
        try (ChannelServer a = ChannelServer.postgresOn(workA, db, ENV); ChannelServer b = ChannelServer.postgresOn(workB, db, ENV);
                EventStream onA = robotFeed(a)) {
            TestRobot robot = registered(b, b.robotKey, "r-far");
            JsonNode came = onA.nextChange("robot", "r-far", "online", WAIT).json();
            assertThat(came.get("remote").asBoolean()).isTrue();
            JsonNode connected = robot(a, "r-far");
            assertThat(connected.get("connection").asText()).isEqualTo("connected");
            assertThat(connected.get("instance").asText()).as("B holds it").isEqualTo(came.get("instance").asText());

            Instant dropped = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            robot.abort();
            JsonNode went = nextConnectionChange(onA, "r-far", "online", dropped);
            assertThat(went.get("remote").asBoolean()).isTrue();
            JsonNode lost = robot(a, "r-far");
            assertThat(lost.get("connection").asText()).isEqualTo("lost");
            assertThat(lost.get("instance").isNull()).isTrue();
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }
}
