package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.store.JobClaims;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.JobApiServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Cancel, retry, bulk retry of dead letters, waiting reasons, and workflows with jobs; on PostgreSQL and H2. */
class JobControlApiTest {

    @Nested
    @BothDatabases
    class Contract extends JobApiContract {

        @Test
        void cancelling_a_pending_job_ends_it_at_once() {
            String id = submit("");
            Http.Response r = s.post(JOBS + "/" + id + "/cancel", "");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("state").asText()).isEqualTo("cancelled");
            assertThat(r.json().get("finished_at").asText()).endsWith("Z");
            assertThat(assertError(s.post(JOBS + "/" + id + "/cancel", ""), 409, "conflict", null)
                    .at("/error/details/state").asText()).isEqualTo("cancelled");
            assertError(s.post(JOBS + "/job_nope/cancel", ""), 404, "not_found", null);
            assertThat(s.claim("robot-c", 1)).isEmpty();
        }

        @Test
        void cancelling_a_job_on_a_robot_asks_the_robot_to_stop_it() {
            String id = submit("");
            JobClaims.Claim claim = s.claim("robot-c", 1).getFirst();
            Http.Response r = s.post(JOBS + "/" + id + "/cancel", "");
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            assertThat(r.json().get("state").asText()).isEqualTo("assigned");
            assertThat(r.json().get("stopping").asText()).isEqualTo("cancelled");
            assertThat(s.post(JOBS + "/" + id + "/cancel", "").status()).isEqualTo(202);

            s.reports.stopped(id, claim.lease().token());
            JsonNode job = s.job(id);
            assertThat(job.get("state").asText()).isEqualTo("cancelled");
            assertThat(job.get("stopping").isNull()).isTrue();
            assertThat(job.at("/attempts/0/outcome").asText()).isEqualTo("cancelled");
            assertThat(job.at("/attempts/0/robot_id").asText()).isEqualTo("robot-c");
        }

        @Test
        void a_failed_job_is_retried_with_one_more_attempt() {
            String id = submit(",\"max_retries\":1");
            failAllPending();
            JsonNode failed = s.job(id);
            assertThat(failed.get("state").asText()).isEqualTo("failed");
            assertThat(failed.get("attempt").asInt()).isEqualTo(2);
            assertThat(failed.get("attempts")).hasSize(2);
            assertThat(failed.at("/attempts/1/outcome").asText()).isEqualTo("failed");
            assertThat(failed.at("/attempts/1/error/type").asText()).isEqualTo("NodeError");
            assertThat(failed.at("/attempts/1/error/message").asText()).isEqualTo("boom 2");
            assertThat(failed.at("/attempts/1/ended_at").asText()).endsWith("Z");
            assertThat(failed.at("/error/message").asText()).isEqualTo("boom 2");
            assertThat(failed.get("waiting_reason").isNull()).isTrue();

            Http.Response r = s.post(JOBS + "/" + id + "/retry", "");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("state").asText()).isEqualTo("pending");
            assertThat(r.json().get("finished_at").isNull()).isTrue();
            assertThat(r.json().get("max_retries").asInt()).isEqualTo(2);
            assertThat(s.job(id).get("waiting_reason").asText()).isEqualTo("no robot online");

            JobClaims.Claim third = s.claim("robot-good", 1).getFirst();
            assertThat(third.lease().attempt()).isEqualTo(3);
            s.reports.completed(id, third.lease().token(), "{\"executed_nodes\":3}");
            JsonNode done = s.job(id);
            assertThat(done.get("state").asText()).isEqualTo("succeeded");
            assertThat(done.at("/result/executed_nodes").asInt()).isEqualTo(3);
            assertThat(done.get("attempts")).hasSize(3);

            assertThat(assertError(s.post(JOBS + "/" + id + "/retry", ""), 409, "conflict", null)
                    .at("/error/details/state").asText()).isEqualTo("succeeded");
            assertError(s.post(JOBS + "/" + submit("") + "/retry", ""), 409, "conflict", null);
            assertError(s.post(JOBS + "/job_nope/retry", ""), 404, "not_found", null);
        }

        @Test
        void a_cancelled_job_can_be_retried_too() {
            String id = submit("");
            s.post(JOBS + "/" + id + "/cancel", "");
            assertThat(s.post(JOBS + "/" + id + "/retry", "").json().get("state").asText()).isEqualTo("pending");
            assertThat(s.claim("robot-c", 1)).extracting(c -> c.job().id()).containsExactly(id);
        }

        @Test
        void dead_letters_are_retried_in_bulk_by_ids_or_by_filter() {
            List<String> deadA = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                deadA.add(submit(",\"max_retries\":0"));
            }
            String other = s.deploy(workflowName + "-b");
            String deadB = s.submitted("{\"workflow_id\":\"" + other + "\",\"max_retries\":0}").get("id").asText();
            failAllPending();
            submit("");
            String succeeded = completeOnePending("{}");

            JsonNode byIds = s.post(JOBS + "/retry", "{\"ids\":[\"" + deadA.get(0) + "\",\"" + succeeded + "\",\"job_nope\",\""
                    + deadA.get(0) + "\"]}").json();
            assertThat(byIds.get("retried_count").asInt()).isEqualTo(1);
            assertThat(byIds.get("retried").toString()).isEqualTo("[\"" + deadA.get(0) + "\"]");
            assertThat(byIds.at("/skipped/0/id").asText()).isEqualTo(succeeded);
            assertThat(byIds.at("/skipped/0/reason").asText()).contains("succeeded");
            assertThat(byIds.at("/skipped/1/reason").asText()).isEqualTo("no such job");
            assertThat(s.job(deadA.get(0)).get("state").asText()).isEqualTo("pending");

            JsonNode oldestTwo = s.post(JOBS + "/retry", "{\"state\":\"failed\",\"workflow_id\":\"" + workflowId
                    + "\",\"limit\":2}").json();
            assertThat(JobApiServer.ids(s.get(JOBS + "?state=pending&workflow_id=" + workflowId)))
                    .containsExactlyInAnyOrder(deadA.get(0), deadA.get(1), deadA.get(2));
            assertThat(oldestTwo.get("retried_count").asInt()).isEqualTo(2);

            JsonNode rest = s.post(JOBS + "/retry", "{\"state\":\"failed\"}").json();
            assertThat(rest.get("retried").toString()).contains(deadA.get(3)).contains(deadB);
            assertThat(s.post(JOBS + "/retry", "{\"state\":\"failed\"}").json().get("retried_count").asInt()).isZero();
            assertThat(JobApiServer.ids(s.get(JOBS + "?state=failed"))).isEmpty();
        }

        @Test
        void bad_bulk_retries_are_400_naming_the_field() {
            assertError(s.post(JOBS + "/retry", "{}"), 400, "invalid_request", "ids");
            assertError(s.post(JOBS + "/retry", "{\"ids\":[]}"), 400, "invalid_request", "ids");
            assertError(s.post(JOBS + "/retry", "{\"state\":\"succeeded\"}"), 400, "invalid_request", "state");
            assertError(s.post(JOBS + "/retry", "{\"state\":\"failed\",\"limit\":0}"), 400, "invalid_request", "limit");
            assertError(s.post(JOBS + "/retry", "{\"state\":\"failed\",\"limit\":1001}"), 400, "invalid_request", "limit");
            assertError(s.post(JOBS + "/retry", "{\"ids\":[\"job_x\"],\"limit\":3}"), 400, "invalid_request", "ids");
            assertError(s.post(JOBS + "/retry", "{\"ids\":\"job_x\"}"), 400, "invalid_request", "ids");
            assertError(s.post(JOBS + "/retry", "{\"everything\":true}"), 400, "invalid_request", "everything");
        }

        @Test
        void a_pending_job_says_why_it_waits() {
            String id = submit(",\"max_retries\":3");
            assertThat(s.job(id).get("waiting_reason").asText()).isEqualTo("no robot online");

            JobClaims.Claim c = s.claim("robot-w", 1).getFirst();
            assertThat(s.job(id).get("waiting_reason").isNull()).isTrue();
            s.reports(Duration.ofHours(1)).failed(id, c.lease().token(), "NodeError", "boom");
            JsonNode delayed = s.job(id);
            assertThat(delayed.get("state").asText()).isEqualTo("pending");
            assertThat(delayed.get("waiting_reason").asText())
                    .isEqualTo("retry delay until " + delayed.get("run_after").asText());
        }

        @Test
        void a_workflow_with_jobs_is_deleted_only_with_cascade_and_takes_its_jobs_along() {
            String running = submit("");
            String pending = submit("");
            assertThat(s.claim("robot-d", 1)).extracting(c -> c.job().id()).containsExactly(running);
            String other = s.deploy(workflowName + "-keep");
            String kept = s.submitted("{\"workflow_id\":\"" + other + "\"}").get("id").asText();

            Http.Response refused = s.http.delete("/api/v1/workflows/" + workflowId, s.admin());
            assertThat(assertError(refused, 409, "conflict", null).at("/error/message").asText())
                    .contains("2 unfinished jobs").contains("2 jobs in all");
            assertThat(s.job(pending).get("state").asText()).isEqualTo("pending");

            Http.Response deleted = s.http.delete("/api/v1/workflows/" + workflowId + "?cascade=true", s.admin());
            assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
            assertError(s.get(JOBS + "/" + pending), 404, "not_found", null);
            assertError(s.get(JOBS + "/" + running), 404, "not_found", null);
            assertThat(JobApiServer.ids(s.get(JOBS))).containsExactly(kept);

            // finished jobs refer to their workflow as well
            s.post(JOBS + "/" + kept + "/cancel", "");
            assertThat(assertError(s.http.delete("/api/v1/workflows/" + other, s.admin()), 409, "conflict", null)
                    .at("/error/message").asText()).contains("0 unfinished jobs").contains("1 job in all");
        }

        @Test
        void commands_are_audited() {
            String id = submit("");
            s.post(JOBS + "/" + id + "/cancel", "");
            s.post(JOBS + "/" + id + "/retry", "");
            JsonNode events = s.get("/api/v1/audit?limit=3").json().get("items");
            assertThat(events.get(0).get("action").asText()).isEqualTo("job.retry");
            assertThat(events.get(0).get("target_id").asText()).isEqualTo(id);
            assertThat(events.at("/0/details/from").asText()).isEqualTo("cancelled");
            assertThat(events.get(1).get("action").asText()).isEqualTo("job.cancel");
            assertThat(events.get(2).get("action").asText()).isEqualTo("job.submit");
        }
    }
}
