package com.casarerpa.orchestrator.api;

import static com.casarerpa.orchestrator.api.JobApiContract.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.scheduler.PruneRobotSamples;
import com.casarerpa.orchestrator.store.OrchestratorInstances;
import com.casarerpa.orchestrator.store.RobotSamples;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.JobApiServer;
import com.casarerpa.orchestrator.testing.MutableClock;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * A robot's cpu and memory kept once a minute from its heartbeats and pruned after a day
 * ({@code GET /api/v1/robots/{id}/samples}), on PostgreSQL and H2, with the server's clock moved
 * by the test.
 */
class RobotSamplesApiTest {

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        MutableClock clock;
        JobApiServer s;
        String robot;

        @BeforeEach
        void start() {
            clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(5));
            s = JobApiServer.on(database, dir, clock);
            robot = "robot-samples-" + UUID.randomUUID().toString().substring(0, 8);
            assertThat(s.post("/api/v1/robots/register", "{\"robot_id\":\"" + robot + "\"}").status()).isEqualTo(200);
        }

        @AfterEach
        void stop() {
            s.close();
        }

        void heartbeat(String body) {
            assertThat(s.post("/api/v1/robots/" + robot + "/heartbeat", body).status()).isEqualTo(200);
        }

        List<Double> cpu(String query) {
            JsonNode r = s.get("/api/v1/robots/" + robot + "/samples" + query).json();
            assertThat(r.get("robot_id").asText()).isEqualTo(robot);
            List<Double> out = new ArrayList<>();
            r.get("items").forEach(i -> out.add(i.get("cpu_percent").asDouble()));
            return out;
        }

        long rows() {
            return s.jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM robot_samples WHERE robot_id = :id")
                    .bind("id", robot).mapTo(Long.class).one());
        }

        @Test
        void heartbeats_leave_one_sample_a_minute_and_the_first_of_the_minute_is_kept() {
            heartbeat("{\"cpu_percent\":10,\"memory_percent\":20,\"memory_mb\":300}");
            heartbeat("{\"cpu_percent\":11,\"memory_percent\":21,\"memory_mb\":301}");
            clock.advance(Duration.ofSeconds(50));
            heartbeat("{\"cpu_percent\":12}");
            assertThat(cpu("")).containsExactly(10.0);
            assertThat(rows()).isEqualTo(1);

            clock.advance(Duration.ofSeconds(10)); // the next minute
            heartbeat("{\"cpu_percent\":30,\"memory_percent\":40}");
            clock.advance(Duration.ofMinutes(1));
            heartbeat("{}"); // no measurements: no sample
            clock.advance(Duration.ofMinutes(1));
            heartbeat("{\"memory_mb\":512}");

            JsonNode items = s.get("/api/v1/robots/" + robot + "/samples?minutes=60").json().get("items");
            assertThat(items).hasSize(3);
            Instant first = clock.instant().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(3));
            assertThat(Instant.parse(items.get(0).get("at").asText())).isEqualTo(first);
            assertThat(items.get(0).get("memory_percent").asDouble()).isEqualTo(20.0);
            assertThat(items.get(0).get("memory_mb").asDouble()).isEqualTo(300.0);
            assertThat(Instant.parse(items.get(1).get("at").asText())).isEqualTo(first.plus(Duration.ofMinutes(1)));
            assertThat(items.get(1).get("cpu_percent").asDouble()).isEqualTo(30.0);
            assertThat(items.get(1).get("memory_mb").isNull()).isTrue();
            assertThat(Instant.parse(items.get(2).get("at").asText())).isEqualTo(first.plus(Duration.ofMinutes(3)));
            assertThat(items.get(2).get("cpu_percent").isNull()).isTrue();
            assertThat(items.get(2).get("memory_mb").asDouble()).isEqualTo(512.0);
            assertThat(cpu("?minutes=3")).hasSize(2);
            assertThat(cpu("?minutes=1")).hasSize(1);

            // Another instance (or this one after a restart) sampling the same minute writes nothing.
            assertThat(new RobotSamples(s.jdbi).record(robot, clock.instant().truncatedTo(ChronoUnit.MINUTES),
                    new Robot.Metrics(Optional.of(99.0), Optional.empty(), Optional.empty(), Optional.empty()))).isFalse();
            assertThat(rows()).isEqualTo(3);
        }

        @Test
        void samples_older_than_a_day_are_pruned() {
            heartbeat("{\"cpu_percent\":10}");
            clock.advance(Duration.ofHours(12));
            heartbeat("{\"cpu_percent\":20}");
            clock.advance(Duration.ofHours(13));
            heartbeat("{\"cpu_percent\":30}");
            assertThat(rows()).isEqualTo(3);
            assertThat(cpu("?minutes=1440")).containsExactly(20.0, 30.0);

            new PruneRobotSamples(new RobotSamples(s.jdbi), new OrchestratorInstances(s.jdbi), clock).run();
            assertThat(rows()).isEqualTo(2);
            assertThat(cpu("?minutes=1440")).containsExactly(20.0, 30.0);
        }

        @Test
        void minutes_out_of_range_and_unknown_robots_are_refused() {
            assertError(s.get("/api/v1/robots/" + robot + "/samples?minutes=0"), 400, "invalid_request", "minutes");
            assertError(s.get("/api/v1/robots/" + robot + "/samples?minutes=1441"), 400, "invalid_request", "minutes");
            assertError(s.get("/api/v1/robots/" + robot + "/samples?minutes=soon"), 400, "invalid_request", "minutes");
            assertError(s.get("/api/v1/robots/robot-none/samples"), 404, "not_found", null);
            assertThat(s.http.delete("/api/v1/robots/" + robot, s.admin()).status()).isEqualTo(204);
            assertThat(rows()).isZero();
        }
    }
}
