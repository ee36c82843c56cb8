package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.EventStream;
import com.casarerpa.orchestrator.testing.FolderFixture;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.JobApiServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The live feed ({@code GET /api/v1/events}) over real HTTP on both databases: changes arrive,
 * each caller sees only what its folders let it read, the filters, coalescing of a burst,
 * resume after a reconnect, and the 400 and 404 of bad parameters.
 */
class LiveFeedApiTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @Nested
    @BothDatabases
    class Contract extends JobApiContract {

        EventStream feed(String query, Map<String, String> headers) {
            EventStream f = EventStream.open(s.server.orchestrator().port(), query, headers);
            assertThat(f.status()).as(f.status() == 200 ? "" : f.errorBody()).isEqualTo(200);
            assertThat(f.header("Content-Type").orElse("")).startsWith("text/event-stream");
            return f;
        }

        EventStream feed(String query) {
            return feed(query, s.admin());
        }

        /** A robot key and a robot registered with it, through the REST robot protocol. */
        Map<String, String> robot(String robotId) {
            String key = s.post("/api/v1/api-keys", "{\"name\":\"" + robotId + "\",\"role\":\"robot\"}").json().get("key").asText();
            Map<String, String> headers = Map.of("X-API-Key", key);
            Http.Response registered = s.http.post("/api/v1/robots/register", "{\"robot_id\":\"" + robotId + "\"}", headers);
            assertThat(registered.status()).as(registered.body()).isEqualTo(200);
            return headers;
        }

        String workflowIn(String folderId) {
            String name = "wf-" + UUID.randomUUID().toString().substring(0, 8);
            Http.Response r = s.post("/api/v1/workflows", "{\"name\":\"" + name + "\",\"folder\":\"" + folderId
                    + "\",\"workflow_data\":" + com.casarerpa.orchestrator.testing.Samples.chain(name, "a") + "}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            return r.json().get("id").asText();
        }

        String submitTo(String workflow) {
            return s.submitted("{\"workflow_id\":\"" + workflow + "\"}").get("id").asText();
        }

        @Test
        void a_submitted_job_is_seen_from_pending_to_succeeded_with_the_wire_format_of_the_document() {
            String robotId = "robot-feed-" + UUID.randomUUID().toString().substring(0, 6);
            // Asked for compressed answers, as browsers do: the stream is sent as it is, never held back to compress.
            Map<String, String> gzip = Map.of("Authorization", s.admin().get("Authorization"), "Accept-Encoding", "gzip, deflate, br");
            try (EventStream f = feed("", gzip)) {
                assertThat(f.header("Content-Encoding")).isEmpty();
                Map<String, String> robot = robot(robotId);
                String id = submit("");
                JsonNode pending = f.nextChange("job", id, "pending", WAIT).json();
                assertThat(pending.get("from").isNull()).isTrue();
                assertThat(pending.get("folder_id").asText()).isEqualTo("root");
                assertThat(pending.get("job_id").isNull()).isTrue();
                assertThat(pending.get("at").asText()).endsWith("Z");
                assertThat(pending.get("instance").asText()).startsWith("i_");
                assertThat(pending.get("remote").asBoolean()).isFalse();
                assertThat(f.retry()).isEqualTo(3000);

                JsonNode claimed = s.http.post("/api/v1/jobs/claim", "{\"robot_id\":\"" + robotId + "\"}", robot).json();
                assertThat(claimed.get("job_id").asText()).isEqualTo(id);
                JsonNode running = f.nextChange("job", id, "running", WAIT).json();
                assertThat(running.get("from").asText()).isIn("pending", "assigned");
                assertThat(s.http.post("/api/v1/jobs/" + id + "/complete", "{\"result\":{}}", robot).status()).isEqualTo(200);
                EventStream.Event done = f.nextChange("job", id, "succeeded", WAIT);
                assertThat(done.json().get("from").asText()).isEqualTo("running");
                assertThat(done.id()).matches("i_.+\\.\\d+");
                assertThat(f.received()).anyMatch(e -> e.event().equals("change") && e.json().get("kind").asText().equals("robot")
                        && e.json().get("id").asText().equals(robotId));
            }
        }

        @Test
        void a_viewer_of_one_folder_gets_no_change_of_another_folders_jobs() {
            FolderFixture folders = new FolderFixture(s);
            String a = folders.folder("feed-a-" + UUID.randomUUID().toString().substring(0, 6), FolderFixture.ROOT);
            String b = folders.folder("feed-b-" + UUID.randomUUID().toString().substring(0, 6), FolderFixture.ROOT);
            String inA = workflowIn(a);
            String inB = workflowIn(b);
            String viewer = folders.keyWith(new FolderFixture.Binding("viewer", a));
            try (EventStream f = feed("", FolderFixture.as(viewer))) {
                String jobB = submitTo(inB);
                String jobA = submitTo(inA);
                assertThat(f.nextChange("job", jobA, "pending", WAIT).json().get("folder_id").asText()).isEqualTo(a);
                assertThat(s.post(JOBS + "/" + jobB + "/cancel", "").status()).isEqualTo(200);
                assertThat(s.post(JOBS + "/" + jobA + "/cancel", "").status()).isEqualTo(200);
                f.nextChange("job", jobA, "cancelled", WAIT);
                assertThat(f.received()).noneMatch(e -> e.data().contains(jobB));
            }
            // Viewer of A: a job of B does not exist for it.
            String jobB = submitTo(inB);
            EventStream refused = EventStream.open(s.server.orchestrator().port(), "job=" + jobB, FolderFixture.as(viewer));
            assertThat(refused.status()).isEqualTo(404);
            assertThat(refused.errorBody()).contains("not_found");
        }

        @Test
        void the_folder_kinds_and_job_filters_keep_only_their_changes() {
            FolderFixture folders = new FolderFixture(s);
            String a = folders.folder("feed-f-" + UUID.randomUUID().toString().substring(0, 6), FolderFixture.ROOT);
            String inA = workflowIn(a);
            String robotId = "robot-kinds-" + UUID.randomUUID().toString().substring(0, 6);
            try (EventStream byFolder = feed("folder=" + a);
                    EventStream robots = feed("kinds=robot");
                    EventStream jobs = feed("kinds=job,schedule")) {
                String elsewhere = submit("");
                String here = submitTo(inA);
                robot(robotId);
                String sentinel = submit("");
                byFolder.nextChange("job", here, "pending", WAIT);
                robots.nextChange("robot", robotId, "online", WAIT);
                jobs.nextChange("job", sentinel, "pending", WAIT);
                assertThat(byFolder.received()).noneMatch(e -> e.data().contains(elsewhere));
                assertThat(robots.received()).allMatch(e -> e.json().get("kind").asText().equals("robot"));
                assertThat(jobs.received()).noneMatch(e -> e.json().get("kind").asText().equals("robot"));
            }
            String one = submit("");
            String other = submit("");
            try (EventStream ofOne = feed("job=" + one)) {
                assertThat(s.post(JOBS + "/" + other + "/cancel", "").status()).isEqualTo(200);
                assertThat(s.post(JOBS + "/" + one + "/cancel", "").status()).isEqualTo(200);
                assertThat(ofOne.nextChange("job", one, "cancelled", WAIT).json().get("from").asText()).isEqualTo("pending");
                assertThat(ofOne.received()).noneMatch(e -> e.data().contains(other));
            }
        }

        @Test
        void bad_parameters_are_400_naming_them_and_an_unknown_job_is_404() {
            assertError(get("?kinds=job,nope"), 400, "invalid_request", "kinds");
            assertError(get("?kinds="), 400, "invalid_request", "kinds");
            assertError(get("?folder=No/Such/Folder"), 400, "invalid_request", "folder");
            assertError(get("?job=job_nope"), 404, "not_found", null);
            assertThat(s.http.get("/api/v1/events").status()).isEqualTo(401);
        }

        private Http.Response get(String query) {
            return s.get("/api/v1/events" + query);
        }

        @Test
        void a_burst_of_five_thousand_job_changes_arrives_as_a_few_messages_with_an_overflow() {
            String item = job("");
            String batch = "{\"jobs\":[" + IntStream.range(0, 1000).mapToObj(i -> item).collect(Collectors.joining(",")) + "]}";
            try (EventStream f = feed("kinds=job")) {
                Set<String> ids = new HashSet<>();
                for (int i = 0; i < 5; i++) {
                    ids.addAll(JobApiServer.ids(s.post(JOBS + "/batch", batch)));
                }
                // Each new job is in one message: a change of its own, or counted in an overflow.
                await().atMost(WAIT).until(() -> covered(f.received(), ids) == 5000);
                List<EventStream.Event> got = f.received();
                long aboutBurst = got.stream().filter(e -> e.event().equals("overflow")
                        || ids.contains(e.json().path("id").asText())).count();
                assertThat(ids).hasSize(5000);
                assertThat(aboutBurst).as("messages for 5,000 changes").isLessThan(500);
                EventStream.Event overflow = got.stream().filter(e -> e.event().equals("overflow")).findFirst().orElseThrow();
                assertThat(overflow.json().at("/kinds/job").asInt()).isGreaterThan(200);
                assertThat(overflow.id()).matches("i_.+\\.\\d+");
            }
        }

        private static int covered(List<EventStream.Event> events, Set<String> ids) {
            return events.stream().mapToInt(e -> e.event().equals("overflow") ? e.json().at("/kinds/job").asInt()
                    : ids.contains(e.json().path("id").asText()) ? 1 : 0).sum();
        }

        @Test
        void a_reconnect_with_last_event_id_gets_what_it_missed_and_an_unknown_cursor_gets_reset() {
            String first = submit("");
            String cursor;
            try (EventStream f = feed("kinds=job")) {
                String seen = submit("");
                cursor = f.nextChange("job", seen, "pending", WAIT).id();
            }
            String missed1 = submit("");
            String missed2 = submit("");
            try (EventStream again = feed("kinds=job", Map.of("Authorization", s.admin().get("Authorization"), "Last-Event-ID", cursor))) {
                again.nextChange("job", missed1, "pending", WAIT);
                again.nextChange("job", missed2, "pending", WAIT);
                assertThat(again.received()).noneMatch(e -> e.event().equals("reset"));
                assertThat(again.received()).noneMatch(e -> e.data().contains(first));
            }
            try (EventStream byQuery = feed("kinds=job&last_event_id=" + cursor)) {
                byQuery.nextChange("job", missed2, "pending", WAIT);
            }
            try (EventStream unknown = feed("kinds=job&last_event_id=i_elsewhere.12")) {
                EventStream.Event reset = unknown.next(e -> true, WAIT);
                assertThat(reset.event()).isEqualTo("reset");
                assertThat(reset.json().get("reason").asText()).isEqualTo("unknown_cursor");
                String later = submit("");
                assertThat(unknown.nextChange("job", later, "pending", WAIT).id()).isNotEqualTo(reset.id());
            }
        }
    }
}
