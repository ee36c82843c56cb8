package com.casarerpa.orchestrator.api;

import static com.casarerpa.orchestrator.testing.FolderFixture.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.store.JobClaims;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.FolderFixture;
import com.casarerpa.orchestrator.testing.FolderFixture.Binding;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.JobApiServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Bulk retry and cancel of a whole filter: dry runs, tracked batches, permissions, on PostgreSQL and H2. */
class JobBulkApiTest {

    @Nested
    @BothDatabases
    class Contract extends JobApiContract {
        static final String BULK = JOBS + "/bulk";

        /** Submits {@code n} jobs without retries and fails them all with {@code message}. */
        List<String> failed(int n, String type, String message) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add(submit(",\"max_retries\":0"));
            }
            for (JobClaims.Claim c : s.claim("robot-bulk", 100)) {
                s.reports.failed(c.job().id(), c.lease().token(), type, message + " " + c.job().id().length() * 7 + ids.indexOf(c.job().id()));
            }
            return ids;
        }

        JsonNode finished(Http.Response started, Map<String, String> caller) {
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            String location = started.header("Location");
            assertThat(location).isEqualTo(BULK + "/" + started.json().get("id").asText());
            await().atMost(Duration.ofSeconds(30)).until(() -> !s.http.get(location, caller).json().get("state").asText()
                    .equals("running"));
            return s.http.get(location, caller).json();
        }

        @Test
        void a_group_of_failures_is_retried_by_its_signature_and_the_dry_run_counts_what_the_run_does() {
            List<String> timeouts = failed(3, "NodeError", "timeout after");
            List<String> others = failed(1, "ParseError", "bad row");
            String signature = s.get(JOBS + "/failure-groups").json().at("/items/0/signature").asText();

            String body = "{\"action\":\"retry\",\"filter\":{\"error_signature\":\"" + signature + "\"}";
            JsonNode dry = s.post(BULK, body + ",\"dry_run\":true}").json();
            assertThat(dry.get("action").asText()).isEqualTo("retry");
            assertThat(dry.get("count").asInt()).isEqualTo(3);
            List<String> sample = new ArrayList<>();
            dry.get("sample").forEach(i -> sample.add(i.asText()));
            assertThat(sample).containsExactlyInAnyOrderElementsOf(timeouts);
            assertThat(s.job(timeouts.getFirst()).get("state").asText()).as("a dry run changes nothing").isEqualTo("failed");

            Http.Response started = s.post(BULK, body + "}");
            JsonNode running = started.json();
            assertThat(running.get("action").asText()).isEqualTo("retry");
            assertThat(running.get("total").asInt()).isEqualTo(3);
            assertThat(running.at("/filter/error_signature").asText()).isEqualTo(signature);
            assertThat(running.get("created_by").asText()).startsWith("api_key:");
            JsonNode batch = finished(started, s.admin());
            assertThat(batch.get("state").asText()).isEqualTo("succeeded");
            assertThat(batch.get("done").asInt()).isEqualTo(dry.get("count").asInt());
            assertThat(batch.get("skipped").asInt()).isZero();
            assertThat(batch.get("failed").asInt()).isZero();
            assertThat(batch.get("finished_at").asText()).endsWith("Z");
            for (String id : timeouts) {
                assertThat(s.job(id).get("state").asText()).isEqualTo("pending");
            }
            assertThat(s.job(others.getFirst()).get("state").asText()).isEqualTo("failed");

            String id = batch.get("id").asText();
            assertThat(audit("job.bulk_start", id)).containsExactly("{\"action\":\"retry\",\"total\":3}");
            assertThat(audit("job.bulk_finish", id)).containsExactly(
                    "{\"action\":\"retry\",\"state\":\"succeeded\",\"total\":3,\"done\":3,\"skipped\":0,\"failed\":0}");
            assertThat(s.get("/api/v1/audit?action=job.retry&limit=500").json().get("items").size()).isGreaterThanOrEqualTo(3);
            assertThat(JobApiServer.ids(s.get(BULK))).contains(id);
            assertError(s.post(BULK + "/" + id + "/cancel", ""), 409, "conflict", null);
        }

        @Test
        void a_bulk_cancel_takes_the_unfinished_jobs_of_its_filter() {
            String a = submit("");
            String b = submit("");
            String done = completeOnePending("{}");
            String open = done.equals(a) ? b : a;
            String other = s.submitted("{\"workflow_id\":\"" + s.deploy("other-" + workflowName) + "\"}").get("id").asText();

            String filter = "{\"action\":\"cancel\",\"filter\":{\"workflow_id\":\"" + workflowId + "\"}";
            JsonNode dry = s.post(BULK, filter + ",\"dry_run\":true}").json();
            assertThat(dry.get("count").asInt()).isEqualTo(1);
            assertThat(dry.at("/sample/0").asText()).isEqualTo(open);
            JsonNode batch = finished(s.post(BULK, filter + "}"), s.admin());
            assertThat(batch.get("total").asInt()).isEqualTo(1);
            assertThat(batch.get("done").asInt()).isEqualTo(1);
            assertThat(s.job(open).get("state").asText()).isEqualTo("cancelled");
            assertThat(s.job(done).get("state").asText()).isEqualTo("succeeded");
            assertThat(s.job(other).get("state").asText()).isEqualTo("pending");
        }

        @Test
        void jobs_the_caller_may_not_act_on_are_not_counted_by_the_dry_run_and_are_skipped_by_the_run() {
            FolderFixture f = new FolderFixture(s);
            String suffix = UUID.randomUUID().toString().substring(0, 6);
            String operated = f.folder("Ops-" + suffix, FolderFixture.ROOT);
            String viewed = f.folder("View-" + suffix, FolderFixture.ROOT);
            List<String> ids = failed(5, "NodeError", "boom");
            ids.subList(0, 3).forEach(id -> f.jobInFolder(id, operated));
            ids.subList(3, 5).forEach(id -> f.jobInFolder(id, viewed));
            Map<String, String> caller = as(f.keyWith(new Binding("operator", operated), new Binding("viewer", viewed)));

            String body = "{\"action\":\"retry\",\"filter\":{\"workflow_id\":\"" + workflowId + "\",\"state\":[\"failed\"]}";
            JsonNode dry = s.http.post(BULK, body + ",\"dry_run\":true}", caller).json();
            assertThat(dry.get("count").asInt()).isEqualTo(3);
            JsonNode batch = finished(s.http.post(BULK, body + "}", caller), caller);
            assertThat(batch.get("total").asInt()).isEqualTo(5);
            assertThat(batch.get("done").asInt()).isEqualTo(3);
            assertThat(batch.get("skipped").asInt()).isEqualTo(2);
            assertThat(batch.get("state").asText()).isEqualTo("succeeded");
            assertThat(ids.subList(0, 3)).allMatch(id -> s.job(id).get("state").asText().equals("pending"));
            assertThat(ids.subList(3, 5)).allMatch(id -> s.job(id).get("state").asText().equals("failed"));

            // Each caller sees its own batches; an admin sees all.
            String id = batch.get("id").asText();
            Map<String, String> stranger = as(f.keyWith(new Binding("operator", operated)));
            assertError(s.http.get(BULK + "/" + id, stranger), 404, "not_found", null);
            assertThat(JobApiServer.ids(s.http.get(BULK, stranger))).doesNotContain(id);
            assertThat(JobApiServer.ids(s.http.get(BULK, caller))).containsExactly(id);
            assertThat(s.get(BULK + "/" + id).status()).isEqualTo(200);

            // A viewer holds job.retry nowhere.
            Map<String, String> viewer = as(f.keyWith(new Binding("viewer", operated)));
            JsonNode refused = assertError(s.http.post(BULK, body + ",\"dry_run\":true}", viewer), 403, "forbidden", null);
            assertThat(refused.at("/error/details/required_permission").asText()).isEqualTo("job.retry");
        }

        @Test
        void bad_bulk_requests_are_400_naming_the_field_and_start_nothing() {
            assertError(s.post(BULK, "{}"), 400, "invalid_request", "action");
            assertError(s.post(BULK, "{\"action\":\"explode\"}"), 400, "invalid_request", "action");
            assertError(s.post(BULK, "{\"action\":\"retry\",\"colour\":1}"), 400, "invalid_request", "colour");
            assertError(s.post(BULK, "{\"action\":\"retry\",\"dry_run\":\"yes\"}"), 400, "invalid_request", "dry_run");
            assertError(s.post(BULK, "{\"action\":\"retry\",\"filter\":[]}"), 400, "invalid_request", "filter");
            assertError(s.post(BULK, "{\"action\":\"retry\",\"filter\":{\"state\":\"running\"}}"), 400, "invalid_request",
                    "filter.state");
            assertError(s.post(BULK, "{\"action\":\"cancel\",\"filter\":{\"state\":[\"failed\",\"succeeded\"]}}"), 400,
                    "invalid_request", "filter.state");
            assertError(s.post(BULK, "{\"action\":\"retry\",\"filter\":{\"state\":\"later\"}}"), 400, "invalid_request",
                    "filter.state");
            assertError(s.post(BULK, "{\"action\":\"retry\",\"filter\":{\"colour\":\"red\"}}"), 400, "invalid_request",
                    "filter.colour");
            assertError(s.post(BULK, "{\"action\":\"retry\",\"filter\":{\"error_signature\":\"xyz\"}}"), 400, "invalid_request",
                    "filter.error_signature");
            assertError(s.post(BULK, "{\"action\":\"retry\",\"filter\":{\"q\":\"" + "q".repeat(201) + "\"}}"), 400,
                    "invalid_request", "filter.q");
            assertError(s.post(BULK, "{\"action\":\"retry\",\"filter\":{\"since\":\"yesterday\"}}"), 400, "invalid_request",
                    "filter.since");
            assertError(s.post(BULK, "{\"action\":\"retry\",\"filter\":{\"tag\":7}}"), 400, "invalid_request", "filter.tag");
            assertError(s.post(BULK, "{\"action\":\"retry\",\"filter\":{\"folder\":\"No/Such\"}}"), 400, "invalid_request",
                    "folder");
            assertError(s.get(BULK + "/batch_nope"), 404, "not_found", null);
            assertError(s.get(BULK + "?cursor=garbage!"), 400, "invalid_request", "cursor");
            assertThat((int) s.jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM job_bulk_actions WHERE total < 0")
                    .mapTo(Integer.class).one())).isZero();
        }

        private List<String> audit(String action, String batchId) {
            return s.jdbi.withHandle(h -> h.createQuery("SELECT details FROM audit_events WHERE action = :action AND target_id = :id")
                    .bind("action", action).bind("id", batchId).mapTo(String.class).list());
        }
    }
}
