package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.paging.PageCursor;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.JobApiServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Listing jobs (filters, keyset pages) and reading a job's logs, on PostgreSQL and H2. */
class JobListingApiTest {

    @Nested
    @BothDatabases
    class Contract extends JobApiContract {

        List<String> list(String query) {
            return JobApiServer.ids(s.get(JOBS + query));
        }

        @Test
        void the_listing_filters_by_state_workflow_robot_and_creation_time() {
            String a1 = submit("");
            String a2 = submit("");
            String a3 = submit("");
            String other = s.deploy(workflowName + "-b");
            String b1 = s.submitted("{\"workflow_id\":\"" + other + "\",\"priority\":20}").get("id").asText();
            String b2 = s.submitted("{\"workflow_id\":\"" + other + "\"}").get("id").asText();
            assertThat(s.claim("robot-list", 1)).extracting(c -> c.job().id()).containsExactly(b1);
            assertThat(s.post(JOBS + "/" + a1 + "/cancel", "").status()).isEqualTo(200);

            assertThat(list("")).containsExactly(b2, b1, a3, a2, a1);
            assertThat(list("?state=pending")).containsExactly(b2, a3, a2);
            assertThat(list("?state=assigned,cancelled")).containsExactly(b1, a1);
            assertThat(list("?state=assigned&state=cancelled")).containsExactly(b1, a1);
            assertThat(list("?workflow_id=" + workflowId)).containsExactly(a3, a2, a1);
            assertThat(list("?workflow_id=" + other + "&state=pending")).containsExactly(b2);
            assertThat(list("?robot_id=robot-list")).containsExactly(b1);
            String a3Created = s.job(a3).get("created_at").asText();
            String b1Created = s.job(b1).get("created_at").asText();
            assertThat(list("?since=" + a3Created)).containsExactly(b2, b1, a3);
            assertThat(list("?until=" + a3Created)).containsExactly(a2, a1);
            assertThat(list("?since=" + a3Created + "&until=" + b1Created)).containsExactly(a3);

            JsonNode item = s.get(JOBS + "?state=assigned").json().at("/items/0");
            assertThat(item.get("robot_id").asText()).isEqualTo("robot-list");
            assertThat(item.get("lease_expires_at").asText()).endsWith("Z");
            assertThat(item.has("attempts")).as("listings carry no attempts").isFalse();
        }

        @Test
        void bad_listing_parameters_are_400_naming_them() {
            assertError(s.get(JOBS + "?state=pending,done"), 400, "invalid_request", "state");
            assertError(s.get(JOBS + "?since=yesterday"), 400, "invalid_request", "since");
            assertError(s.get(JOBS + "?limit=0"), 400, "invalid_request", "limit");
            assertError(s.get(JOBS + "?limit=501"), 400, "invalid_request", "limit");
            assertError(s.get(JOBS + "?cursor=garbage!"), 400, "invalid_request", "cursor");
            assertError(s.get(JOBS + "?cursor=" + PageCursor.encode(List.of("42"))), 400, "invalid_request", "cursor");
            assertError(s.get(JOBS + "?cursor=" + PageCursor.encode(List.of("not a time", "job_x"))), 400,
                    "invalid_request", "cursor");
        }

        @Test
        void pages_run_newest_first_and_stay_stable_while_jobs_are_added() {
            List<String> batch = JobApiServer.ids(s.post(JOBS + "/batch", "{\"jobs\":[" + job("") + "," + job("") + ","
                    + job("") + "," + job("") + "]}"));
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                expected.addFirst(submit(""));
            }
            // one batch shares its creation time; within it the newer id comes first
            expected.addAll(batch.reversed());

            List<String> seen = new ArrayList<>();
            Http.Response page = s.get(JOBS + "?limit=3");
            seen.addAll(JobApiServer.ids(page));
            String first = submit("");
            String second = submit("");
            while (!page.json().get("next_cursor").isNull()) {
                page = s.get(JOBS + "?limit=3&cursor=" + page.json().get("next_cursor").asText());
                seen.addAll(JobApiServer.ids(page));
            }
            assertThat(seen).containsExactlyElementsOf(expected);
            assertThat(list("?limit=3")).containsExactly(second, first, expected.getFirst());
        }

        @Test
        void a_jobs_logs_are_read_in_pages_in_the_order_logged() {
            String id = submit("");
            s.jdbi.useHandle(h -> {
                for (int i = 1; i <= 5; i++) {
                    h.createUpdate("INSERT INTO job_logs (job_id, attempt, logged_at, level, node_id, message)"
                                    + " VALUES (:job, :attempt, CURRENT_TIMESTAMP, 'info', :node, :message)")
                            .bind("job", id).bind("attempt", i <= 3 ? 1 : 2).bind("node", i == 5 ? null : "set0")
                            .bind("message", "line " + i).execute();
                }
            });
            List<String> messages = new ArrayList<>();
            Http.Response page = s.get(JOBS + "/" + id + "/logs?limit=2");
            int pages = 1;
            page.json().get("items").forEach(l -> messages.add(l.get("message").asText()));
            while (!page.json().get("next_cursor").isNull()) {
                page = s.get(JOBS + "/" + id + "/logs?limit=2&cursor=" + page.json().get("next_cursor").asText());
                page.json().get("items").forEach(l -> messages.add(l.get("message").asText()));
                pages++;
            }
            assertThat(messages).containsExactly("line 1", "line 2", "line 3", "line 4", "line 5");
            assertThat(pages).isEqualTo(3);

            JsonNode second = s.get(JOBS + "/" + id + "/logs?attempt=2").json();
            assertThat(second.at("/items/0/message").asText()).isEqualTo("line 4");
            assertThat(second.at("/items/0/node_id").asText()).isEqualTo("set0");
            assertThat(second.at("/items/1/node_id").isNull()).isTrue();
            assertThat(second.at("/items/1/level").asText()).isEqualTo("info");
            assertThat(second.at("/items/1/logged_at").asText()).endsWith("Z");

            assertError(s.get(JOBS + "/job_nope/logs"), 404, "not_found", null);
            assertError(s.get(JOBS + "/" + id + "/logs?cursor=" + PageCursor.encode(List.of("x"))), 400,
                    "invalid_request", "cursor");
            assertError(s.get(JOBS + "/job_nope"), 404, "not_found", null);
        }
    }
}
