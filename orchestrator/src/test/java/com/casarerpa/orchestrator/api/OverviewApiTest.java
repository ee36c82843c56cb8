package com.casarerpa.orchestrator.api;

import static com.casarerpa.orchestrator.testing.FolderFixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.store.InstancePulses;
import com.casarerpa.orchestrator.store.JobClaims;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.OrchestratorInstances;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.FolderFixture;
import com.casarerpa.orchestrator.testing.FolderFixture.Binding;
import com.casarerpa.orchestrator.testing.FolderFixture.Resources;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/overview} and {@code GET /api/v1/instances} on PostgreSQL and H2: the queue,
 * the minutes by outcome, the dispatch latency, the recent failures, the next fires and the
 * robots, as the jobs a test makes move; scoped to what the caller reads.
 */
class OverviewApiTest {
    static final String OVERVIEW = "/api/v1/overview";

    @Nested
    @BothDatabases
    class Contract extends JobApiContract {

        JsonNode overview(String query) {
            Http.Response r = s.get(OVERVIEW + query);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            return r.json();
        }

        /** Claims the one pending job as a robot, and fails it for good (no retries). */
        String failOne(String type, String message) {
            JobClaims.Claim c = s.claim("robot-overview", 1).getFirst();
            s.reports.failed(c.job().id(), c.lease().token(), type, message, false);
            return c.job().id();
        }

        Instant timeOf(String sql, String jobId) {
            return s.jdbi.withHandle(h -> h.createQuery(sql).bind("id", jobId)
                    .map((rs, ctx) -> Jdbi3.instant(rs.getObject(1)).orElseThrow()).one());
        }

        void setTime(String table, String column, String jobId, Instant at) {
            s.jdbi.useHandle(h -> h.createUpdate("UPDATE " + table + " SET " + column + " = :at WHERE "
                    + (table.equals("jobs") ? "id" : "job_id") + " = :id").bind("at", Jdbi3.ts(at)).bind("id", jobId).execute());
        }

        static long sum(JsonNode minutes, String outcome) {
            long total = 0;
            for (JsonNode m : minutes) {
                total += m.get(outcome).asLong();
            }
            return total;
        }

        @Test
        void the_overview_counts_the_queue_each_minutes_outcomes_the_latency_and_the_failures() {
            submit("");
            String succeeded = completeOnePending("{}");
            submit("");
            String failed = failOne("NodeError", "boom\nat node 3");
            String cancelled = submit("");
            assertThat(s.post(JOBS + "/" + cancelled + "/cancel", "").status()).isEqualTo(200);
            String first = submit("");
            submit("");
            JsonNode o = overview("");

            assertThat(o.at("/queue/pending").asLong()).isEqualTo(2);
            assertThat(Instant.parse(o.at("/queue/oldest_pending_at").asText())).isEqualTo(Instant.parse(s.job(first).get("created_at")
                    .asText()));
            assertThat(o.at("/queue/oldest_pending_age_seconds").asLong()).isBetween(0L, 60L);

            JsonNode minutes = o.get("jobs_per_minute");
            assertThat(minutes).hasSize(60);
            Instant now = Instant.parse(o.get("at").asText());
            assertThat(Instant.parse(minutes.get(59).get("minute").asText())).isEqualTo(now.truncatedTo(ChronoUnit.MINUTES));
            assertThat(Instant.parse(minutes.get(0).get("minute").asText())).isEqualTo(now.truncatedTo(ChronoUnit.MINUTES)
                    .minus(Duration.ofMinutes(59)));
            assertThat(sum(minutes, "succeeded")).isEqualTo(1);
            assertThat(sum(minutes, "failed")).isEqualTo(1);
            assertThat(sum(minutes, "cancelled")).isEqualTo(1);
            assertThat(sum(minutes, "timed_out")).isZero();

            // Each job in the bucket of its minute; an hour ago is out of the window.
            Instant finished = timeOf("SELECT finished_at FROM jobs WHERE id = :id", succeeded);
            setTime("jobs", "finished_at", succeeded, finished.minus(Duration.ofMinutes(30)));
            setTime("jobs", "finished_at", cancelled, now.minus(Duration.ofMinutes(61)));
            o = overview("");
            Instant bucket = finished.minus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.MINUTES);
            List<String> withSuccess = new ArrayList<>();
            o.get("jobs_per_minute").forEach(m -> {
                if (m.get("succeeded").asLong() > 0) {
                    withSuccess.add(m.get("minute").asText());
                }
            });
            assertThat(withSuccess).extracting(Instant::parse).containsExactly(bucket);
            assertThat(sum(o.get("jobs_per_minute"), "cancelled")).isZero();

            // The latency: run_after to assignment, of the attempts assigned in the last hour.
            assertThat(o.at("/dispatch_latency/count").asLong()).isEqualTo(2);
            for (String id : List.of(succeeded, failed)) {
                Instant assigned = timeOf("SELECT assigned_at FROM job_attempts WHERE job_id = :id", id);
                setTime("jobs", "run_after", id, assigned.minus(Duration.ofMillis(id.equals(failed) ? 5000 : 1000)));
            }
            JsonNode latency = overview("").get("dispatch_latency");
            assertThat(latency.get("count").asLong()).isEqualTo(2);
            assertThat(latency.get("p50_ms").asDouble()).isEqualTo(3000.0);
            assertThat(latency.get("p99_ms").asDouble()).isBetween(4900.0, 5000.0);
            setTime("job_attempts", "assigned_at", failed, now.minus(Duration.ofMinutes(61)));
            assertThat(overview("").at("/dispatch_latency/count").asLong()).isEqualTo(1);

            JsonNode failure = o.at("/recent_failures/0");
            assertThat(o.get("recent_failures")).hasSize(1);
            assertThat(failure.get("job_id").asText()).isEqualTo(failed);
            assertThat(failure.get("workflow_id").asText()).isEqualTo(workflowId);
            assertThat(failure.get("workflow_name").asText()).isEqualTo(workflowName);
            assertThat(failure.get("state").asText()).isEqualTo("failed");
            assertThat(failure.get("error").asText()).isEqualTo("NodeError: boom");
            assertThat(failure.get("finished_at").asText()).endsWith("Z");
        }

        @Test
        void recent_failures_are_the_ten_latest_with_their_error_cut_to_200_characters() {
            List<String> failed = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                submit("");
                failed.add(failOne("E" + i, i == 11 ? "x".repeat(5000) : "m" + i));
            }
            JsonNode failures = overview("").get("recent_failures");
            assertThat(failures).hasSize(10);
            assertThat(failures.get(0).get("job_id").asText()).isEqualTo(failed.get(11));
            assertThat(failures.get(0).get("error").asText()).hasSize(200).startsWith("E11: xxx").endsWith("…");
            assertThat(failures.get(9).get("job_id").asText()).isEqualTo(failed.get(2));
        }

        @Test
        void next_fires_carry_the_local_time_with_its_offset_and_the_zone() {
            String name = "sch-" + UUID.randomUUID().toString().substring(0, 8);
            Http.Response created = s.post("/api/v1/schedules", "{\"name\":\"" + name + "\",\"workflow_id\":\"" + workflowId
                    + "\",\"cron\":\"30 2 * * *\",\"timezone\":\"Europe/Berlin\"}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            JsonNode fire = null;
            for (JsonNode f : overview("?folder=root").get("next_fires")) {
                if (f.get("name").asText().equals(name)) {
                    fire = f;
                }
            }
            assertThat(fire).as("the schedule among the next fires").isNotNull();
            assertThat(fire.get("id").asText()).isEqualTo(created.json().get("id").asText());
            assertThat(fire.get("workflow_name").asText()).isEqualTo(workflowName);
            assertThat(fire.get("timezone").asText()).isEqualTo("Europe/Berlin");
            OffsetDateTime at = OffsetDateTime.parse(fire.get("next_fire_at").asText());
            assertThat(fire.get("next_fire_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT02:30:00\\+0[12]:00");
            assertThat(at.getOffset()).isEqualTo(java.time.ZoneId.of("Europe/Berlin").getRules().getOffset(at.toInstant()));
            assertThat(s.http.delete("/api/v1/schedules/" + name, s.admin()).status()).isEqualTo(204);
        }

        @Test
        void next_fire_times_carry_their_offset_utc_and_daylight_saving() {
            String name = "sch-" + UUID.randomUUID().toString().substring(0, 8);
            assertThat(s.post("/api/v1/schedules", "{\"name\":\"" + name + "\",\"workflow_id\":\"" + workflowId
                    + "\",\"cron\":\"30 2 1 1,7 *\",\"timezone\":\"Europe/Berlin\"}").status()).isEqualTo(201);
            JsonNode next = s.get("/api/v1/schedules/" + name + "/next?count=4").json();
            assertThat(next.get("timezone").asText()).isEqualTo("Europe/Berlin");
            java.time.zone.ZoneRules berlin = java.time.ZoneId.of("Europe/Berlin").getRules();
            List<String> offsets = new ArrayList<>();
            for (JsonNode t : next.get("items")) {
                Instant utc = Instant.parse(t.get("utc").asText());
                assertThat(OffsetDateTime.parse(t.get("at").asText()).toInstant()).isEqualTo(utc);
                assertThat(t.get("at").asText()).contains("T02:30:00").endsWith(t.get("offset").asText());
                assertThat(t.get("offset").asText()).isEqualTo(berlin.getOffset(utc).getId());
                assertThat(t.get("daylight_saving").asBoolean()).isEqualTo(berlin.isDaylightSavings(utc));
                offsets.add(t.get("offset").asText() + " " + t.get("daylight_saving").asBoolean());
            }
            // 1 January in winter time, 1 July in summer time: the change of offset shows.
            assertThat(offsets).contains("+01:00 false", "+02:00 true");
            assertThat(s.http.delete("/api/v1/schedules/" + name, s.admin()).status()).isEqualTo(204);
        }

        @Test
        void a_viewer_of_folder_a_sees_only_the_numbers_of_a() {
            FolderFixture f = new FolderFixture(s);
            String suffix = UUID.randomUUID().toString().substring(0, 6);
            String a = f.folder("A-" + suffix, FolderFixture.ROOT);
            String b = f.folder("B-" + suffix, FolderFixture.ROOT);
            Resources inA = f.resourcesIn(a);
            Resources inB = f.resourcesIn(b);
            // B's job fails; A's stays pending
            s.jdbi.useHandle(h -> h.createUpdate("UPDATE jobs SET priority = 20 WHERE id = :id").bind("id", inB.jobId()).execute());
            failOne("BError", "only B");
            Map<String, String> viewerOfA = as(f.keyWith(new Binding("viewer", a)));

            Http.Response r = s.http.get(OVERVIEW, viewerOfA);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode o = r.json();
            assertThat(o.at("/queue/pending").asLong()).isEqualTo(1);
            assertThat(sum(o.get("jobs_per_minute"), "failed")).isZero();
            assertThat(o.get("recent_failures")).isEmpty();
            assertThat(o.get("next_fires")).extracting(n -> n.get("id").asText()).containsExactly(inA.scheduleId());
            assertThat(o.at("/dispatch_latency/count").asLong()).isZero();
            assertThat(o.at("/dispatch_latency/p50_ms").isNull()).isTrue();
            assertThat(o.get("instances")).as("instances need orchestrator.read at the root").isEmpty();
            // The robots it may see: those serving A (A's own, and any serving the root), not B's.
            List<String> robots = new ArrayList<>();
            s.http.get("/api/v1/robots", viewerOfA).json().get("items").forEach(x -> robots.add(x.get("id").asText()));
            assertThat(robots).contains(inA.robotId()).doesNotContain(inB.robotId());
            assertThat(o.at("/robots/total").asInt()).isEqualTo(robots.size());

            // The admin, narrowed to a folder, sees that folder's figures alone.
            JsonNode ofB = overview("?folder=" + f.tree().path(b));
            assertThat(ofB.at("/queue/pending").asLong()).isZero();
            assertThat(ofB.get("recent_failures")).extracting(x -> x.get("job_id").asText()).containsExactly(inB.jobId());
            assertThat(ofB.get("next_fires")).extracting(n -> n.get("id").asText()).containsExactly(inB.scheduleId());
            assertThat(ofB.at("/robots/total").asInt()).isEqualTo(ofB.at("/robots/online").asInt() + ofB.at("/robots/busy").asInt()
                    + ofB.at("/robots/offline").asInt() + ofB.at("/robots/maintenance").asInt());
            assertThat(overview("?folder=" + a).at("/queue/pending").asLong()).isEqualTo(1);
            assertThat(overview("").at("/queue/pending").asLong()).isEqualTo(1);

            // The robots list narrowed the same way (the dashboard's folder switcher).
            List<String> ofBRobots = new ArrayList<>();
            s.get("/api/v1/robots?folder=" + b).json().get("items").forEach(x -> ofBRobots.add(x.get("id").asText()));
            assertThat(ofBRobots).contains(inB.robotId()).doesNotContain(inA.robotId()).hasSize(ofB.at("/robots/total").asInt());
            assertError(s.http.get("/api/v1/robots?folder=" + b, viewerOfA), 400, "invalid_request", "folder");

            assertError(s.http.get(OVERVIEW + "?folder=" + b, viewerOfA), 400, "invalid_request", "folder");
            assertError(s.http.get(OVERVIEW + "?folder=Default/nowhere", viewerOfA), 400, "invalid_request", "folder");
            assertError(s.http.get("/api/v1/instances", viewerOfA), 403, "forbidden", null);
        }

        @Test
        void robots_count_as_busy_when_they_hold_a_job_and_in_maintenance_when_set() {
            FolderFixture f = new FolderFixture(s);
            String folder = f.folder("R-" + UUID.randomUUID().toString().substring(0, 6), FolderFixture.ROOT);
            Resources r = f.resourcesIn(folder);
            JsonNode robots = overview("?folder=" + folder).get("robots");
            assertThat(robots.get("online").asInt()).isEqualTo(robots.get("total").asInt() - robots.get("offline").asInt()
                    - robots.get("busy").asInt() - robots.get("maintenance").asInt());
            int onlineBefore = robots.get("online").asInt();
            int busyBefore = robots.get("busy").asInt();
            s.jdbi.useHandle(h -> h.createUpdate("UPDATE jobs SET priority = 20 WHERE id = :id").bind("id", r.jobId()).execute());
            assertThat(s.claim(r.robotId(), 1)).hasSize(1);

            robots = overview("?folder=" + folder).get("robots");
            assertThat(robots.get("busy").asInt()).isEqualTo(busyBefore + 1);
            assertThat(robots.get("online").asInt()).isEqualTo(onlineBefore - 1);
            JsonNode shown = s.get("/api/v1/robots/" + r.robotId()).json();
            assertThat(shown.get("slots_used").asInt()).isEqualTo(1);
            assertThat(shown.get("slots_total").asInt()).isEqualTo(1);
            assertThat(shown.at("/current_job_details/0/id").asText()).isEqualTo(r.jobId());
            assertThat(shown.at("/current_job_details/0/workflow_name").asText()).isEqualTo(r.workflowName());
            assertThat(shown.at("/current_job_details/0/state").asText()).isEqualTo("assigned");
            assertThat(shown.at("/current_job_details/0/started_at").isNull()).isTrue();
            assertThat(shown.get("instance").isNull()).as("a REST robot has no WebSocket").isTrue();
            assertThat(shown.get("node_types").isNull()).isTrue();
            JsonNode listed = null;
            for (JsonNode x : s.get("/api/v1/robots").json().get("items")) {
                if (x.get("id").asText().equals(r.robotId())) {
                    listed = x;
                }
            }
            assertThat(listed).isNotNull();
            assertThat(listed.get("current_job_details")).isEqualTo(shown.get("current_job_details"));

            assertThat(s.post("/api/v1/robots/" + r.robotId() + "/maintenance", "{\"enabled\":true}").status()).isEqualTo(200);
            robots = overview("?folder=" + folder).get("robots");
            assertThat(robots.get("maintenance").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(robots.get("busy").asInt()).isEqualTo(busyBefore);
        }

        @Test
        void a_websocket_robot_shows_the_instance_it_is_connected_to_and_its_node_types() throws Exception {
            String robotId = "robot-ws-" + UUID.randomUUID().toString().substring(0, 8);
            String key = s.post("/api/v1/api-keys", "{\"name\":\"" + robotId + "\",\"role\":\"robot\",\"robot_id\":\"" + robotId
                    + "\"}").json().get("key").asText();
            try (TestRobot robot = TestRobot.connect(s.server.orchestrator().port(), key)) {
                ObjectNode fields = com.casarerpa.common.json.Json.mapper().createObjectNode().put("robot_id", robotId)
                        .put("max_concurrent_jobs", 3);
                fields.putArray("node_types").add("SetVariableNode").add("LogNode");
                assertThat(robot.register(fields).get("type").asText()).isEqualTo("registered");
                JsonNode shown = s.get("/api/v1/robots/" + robotId).json();
                List<String> alive = new ArrayList<>();
                s.get("/api/v1/instances").json().get("items").forEach(i -> alive.add(i.get("id").asText()));
                assertThat(shown.get("instance").asText()).isIn(alive);
                assertThat(shown.get("node_types")).extracting(JsonNode::asText).containsExactlyInAnyOrder("SetVariableNode", "LogNode");
                assertThat(shown.get("slots_total").asInt()).isEqualTo(3);
                assertThat(shown.get("slots_used").asInt()).isZero();
                assertThat(shown.get("current_job_details")).isEmpty();
            }
        }

        @Test
        void instances_lists_those_alive_and_those_gone_stopped_or_silent() {
            // The server records itself with its first pulse, within a second of its start.
            JsonNode server = await().atMost(Duration.ofSeconds(10)).until(() -> {
                Http.Response r = s.get("/api/v1/instances");
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                for (JsonNode i : r.json().get("items")) {
                    if (i.get("status").asText().equals("alive") && i.get("pid").asLong() == ProcessHandle.current().pid()) {
                        return i;
                    }
                }
                return null;
            }, java.util.Objects::nonNull);
            assertThat(server.get("id").asText()).startsWith("i_");
            assertThat(server.get("host").asText()).isNotBlank();
            assertThat(server.get("started_at").asText()).endsWith("Z");
            assertThat(server.get("last_pulse_at").asText()).endsWith("Z");
            assertThat(overview("").get("instances")).extracting(i -> i.get("id").asText()).contains(server.get("id").asText());

            String stopping = "i_test_" + UUID.randomUUID().toString().substring(0, 8);
            String silent = "i_test_" + UUID.randomUUID().toString().substring(0, 8);
            InstancePulses stops = pulses(stopping).describedAs(new OrchestratorInstances.Identity(Optional.of("host-a"),
                    Optional.of(42L), Optional.of("9.9")));
            stops.beat();
            pulses(silent).beat();
            assertThat(instance(stopping).get("status").asText()).isEqualTo("alive");
            assertThat(instance(stopping).get("host").asText()).isEqualTo("host-a");
            assertThat(instance(stopping).get("pid").asLong()).isEqualTo(42);
            assertThat(instance(stopping).get("version").asText()).isEqualTo("9.9");

            stops.forget();
            JsonNode stopped = instance(stopping);
            assertThat(stopped.get("status").asText()).isEqualTo("gone");
            assertThat(stopped.get("gone_reason").asText()).isEqualTo("stopped");
            assertThat(stopped.get("gone_at").asText()).endsWith("Z");
            assertThat(stopped.get("last_pulse_at").asText()).endsWith("Z");
            assertThat(overview("").get("instances")).extracting(i -> i.get("id").asText()).doesNotContain(stopping);

            s.jdbi.useHandle(h -> h.createUpdate("UPDATE instance_pulses SET pulse_at = :old WHERE instance_id = :id")
                    .bind("old", Jdbi3.ts(Instant.now().minus(Duration.ofHours(1)))).bind("id", silent).execute());
            pulses("i_test_" + UUID.randomUUID().toString().substring(0, 8)).beat();
            assertThat(instance(silent).get("status").asText()).isEqualTo("gone");
            assertThat(instance(silent).get("gone_reason").asText()).isEqualTo("silent");
        }

        private InstancePulses pulses(String id) {
            return InstancePulses.forHeartbeatTimeout(s.jdbi, s.database.dialect(), id, 30);
        }

        private JsonNode instance(String id) {
            for (JsonNode i : s.get("/api/v1/instances").json().get("items")) {
                if (i.get("id").asText().equals(id)) {
                    return i;
                }
            }
            throw new AssertionError("no instance " + id);
        }
    }
}
