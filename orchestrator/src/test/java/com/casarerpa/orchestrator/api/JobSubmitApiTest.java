package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.store.JobClaims;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.JobApiServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Submitting jobs through the real server: one, idempotent, in batches; every field checked; on PostgreSQL and H2. */
class JobSubmitApiTest {

    @Nested
    @BothDatabases
    class Contract extends JobApiContract {

        @Test
        void a_job_with_every_field_reads_back_as_submitted() {
            s.deploy(workflowName); // version 2; the job asks for 1
            Http.Response r = s.post(JOBS, "{\"workflow_name\":\"" + workflowName + "\",\"version\":1,"
                    + "\"variables\":{\"region\":\"emea\",\"amount\":1.50,\"nested\":{\"list\":[1,2]}},\"priority\":15,"
                    + "\"max_retries\":4,\"timeout_seconds\":600,\"required_capabilities\":[\"browser\",\"browser\"],"
                    + "\"tags\":[\"reports\"],\"environment\":\"prod\",\"idempotency_key\":\"order-42\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            JsonNode created = r.json();
            String id = created.get("id").asText();
            assertThat(id).matches("job_[0-9a-z]{26}");
            assertThat(r.header("Location")).isEqualTo(JOBS + "/" + id);
            assertThat(created.get("created").asBoolean()).isTrue();

            JsonNode job = s.job(id);
            assertThat(job.get("workflow_id").asText()).isEqualTo(workflowId);
            assertThat(job.get("workflow_version").asInt()).isEqualTo(1);
            assertThat(job.get("state").asText()).isEqualTo("pending");
            assertThat(job.get("priority").asInt()).isEqualTo(15);
            assertThat(job.at("/variables/region").asText()).isEqualTo("emea");
            assertThat(job.at("/variables/amount").decimalValue()).isEqualByComparingTo(new BigDecimal("1.50"));
            assertThat(job.at("/variables/nested/list").toString()).isEqualTo("[1,2]");
            assertThat(job.get("max_retries").asInt()).isEqualTo(4);
            assertThat(job.get("timeout_seconds").asInt()).isEqualTo(600);
            assertThat(job.get("required_capabilities").toString()).isEqualTo("[\"browser\"]");
            assertThat(job.get("tags").toString()).isEqualTo("[\"reports\"]");
            assertThat(job.get("environment").asText()).isEqualTo("prod");
            assertThat(job.get("idempotency_key").asText()).isEqualTo("order-42");
            assertThat(job.get("attempt").asInt()).isZero();
            assertThat(job.get("attempts").isEmpty()).isTrue();
            assertThat(job.get("waiting_reason").asText()).isEqualTo("no robot online");
            assertThat(job.get("result").isNull()).isTrue();
            assertThat(job.get("error").isNull()).isTrue();
            assertThat(job.get("source").asText()).isEqualTo("api");
            assertThat(job.get("created_by").asText()).startsWith("api_key:");
            assertThat(job.get("created_at").asText()).endsWith("Z");
            assertThat(audited("job.submit")).contains(id);
        }

        @Test
        void an_empty_request_takes_the_defaults_and_the_latest_version() {
            s.deploy(workflowName);
            JsonNode job = s.job(submit(""));
            assertThat(job.get("workflow_version").asInt()).isEqualTo(2);
            assertThat(job.get("priority").asInt()).isEqualTo(10);
            assertThat(job.get("max_retries").asInt()).isEqualTo(JobApiServer.DEFAULT_MAX_RETRIES);
            assertThat(job.get("variables").toString()).isEqualTo("{}");
            assertThat(job.get("timeout_seconds").isNull()).isTrue();
            assertThat(job.get("environment").isNull()).isTrue();
        }

        @Test
        void every_bad_field_is_a_400_naming_it_and_stores_nothing() {
            Map<String, String> cases = Map.ofEntries(
                    Map.entry("{}", "workflow_id"),
                    Map.entry(job(",\"workflow_name\":\"" + workflowName + "\""), "workflow_id"),
                    Map.entry("{\"workflow_id\":\" \"}", "workflow_id"),
                    Map.entry(job(",\"version\":0"), "version"),
                    Map.entry(job(",\"priority\":21"), "priority"),
                    Map.entry(job(",\"priority\":-1"), "priority"),
                    Map.entry(job(",\"priority\":\"high\""), "priority"),
                    Map.entry(job(",\"priority\":1.5"), "priority"),
                    Map.entry(job(",\"max_retries\":-1"), "max_retries"),
                    Map.entry(job(",\"timeout_seconds\":0"), "timeout_seconds"),
                    Map.entry(job(",\"variables\":[1,2]"), "variables"),
                    Map.entry(job(",\"variables\":\"{}\""), "variables"),
                    Map.entry(job(",\"required_capabilities\":\"browser\""), "required_capabilities"),
                    Map.entry(job(",\"required_capabilities\":[\"browser\",\" \"]"), "required_capabilities[1]"),
                    Map.entry(job(",\"tags\":[7]"), "tags[0]"),
                    Map.entry(job(",\"environment\":\"\""), "environment"),
                    Map.entry(job(",\"idempotency_key\":\"\""), "idempotency_key"),
                    Map.entry(job(",\"idempotency_key\":\"" + "k".repeat(201) + "\""), "idempotency_key"),
                    Map.entry(job(",\"priorty\":5"), "priorty"),
                    Map.entry("[1]", "body"),
                    Map.entry("not json", "body"));
            cases.forEach((body, field) -> assertError(s.post(JOBS, body), 400, "invalid_request", field));
            assertThat(JobApiServer.ids(s.get(JOBS))).isEmpty();
        }

        @Test
        void an_unknown_workflow_or_version_is_a_404_naming_it() {
            assertThat(assertError(s.post(JOBS, "{\"workflow_id\":\"wf_nope\"}"), 404, "not_found", null)
                    .at("/error/message").asText()).contains("wf_nope");
            assertThat(assertError(s.post(JOBS, "{\"workflow_name\":\"no such flow\"}"), 404, "not_found", null)
                    .at("/error/message").asText()).contains("no such flow");
            // an id is not taken for a name
            assertError(s.post(JOBS, "{\"workflow_name\":\"" + workflowId + "\"}"), 404, "not_found", null);
            assertThat(assertError(s.post(JOBS, job(",\"version\":9")), 404, "not_found", null)
                    .at("/error/message").asText()).contains("no version 9").contains(workflowId);
            assertThat(JobApiServer.ids(s.get(JOBS))).isEmpty();
        }

        @Test
        void a_repeated_idempotency_key_returns_the_first_job_with_200() {
            String first = submit(",\"idempotency_key\":\"order-7\",\"priority\":3,\"variables\":{\"a\":1,\"b\":{\"x\":1,\"y\":2}}");
            // the same request, its fields in another order (nested ones too) and spaced otherwise
            Http.Response again = s.post(JOBS, "{ \"variables\": {\"b\": {\"y\": 2, \"x\": 1}, \"a\": 1}, \"priority\": 3,"
                    + " \"idempotency_key\": \"order-7\", \"workflow_id\": \"" + workflowId + "\" }");
            assertThat(again.status()).as(again.body()).isEqualTo(200);
            assertThat(again.json().get("id").asText()).isEqualTo(first);
            assertThat(again.json().get("created").asBoolean()).isFalse();
            assertThat(again.json().get("priority").asInt()).isEqualTo(3);

            Map<String, String> header = Map.of("Authorization", "Bearer " + s.adminKey, "Idempotency-Key", "hdr-1");
            Http.Response viaHeader = s.http.post(JOBS, job(""), header);
            assertThat(viaHeader.status()).as(viaHeader.body()).isEqualTo(201);
            assertThat(viaHeader.json().get("idempotency_key").asText()).isEqualTo("hdr-1");
            Http.Response repeated = s.http.post(JOBS, job(""), header);
            assertThat(repeated.status()).isEqualTo(200);
            assertThat(repeated.json().get("id").asText()).isEqualTo(viaHeader.json().get("id").asText());
            Http.Response asField = s.post(JOBS, job(",\"idempotency_key\":\"hdr-1\""));
            assertThat(asField.status()).as("the key as a field is the same request: " + asField.body()).isEqualTo(200);
            assertError(s.http.post(JOBS, job(",\"idempotency_key\":\"other\""), header), 400, "invalid_request",
                    "idempotency_key");

            // the key is per workflow: the same key for another workflow is another job
            String other = s.deploy(workflowName + "-other");
            Http.Response elsewhere = s.post(JOBS, "{\"workflow_id\":\"" + other + "\",\"idempotency_key\":\"order-7\"}");
            assertThat(elsewhere.status()).isEqualTo(201);
            assertThat(JobApiServer.ids(s.get(JOBS))).hasSize(3);
            assertThat(audited("job.submit")).containsOnlyOnce(first);
        }

        @Test
        void the_same_idempotency_key_with_another_request_is_409_and_changes_nothing() {
            String first = submit(",\"idempotency_key\":\"order-8\",\"priority\":3");
            for (String other : List.of(",\"priority\":19", ",\"priority\":3,\"variables\":{\"n\":1}", "")) {
                JsonNode refused = assertError(s.post(JOBS, job(",\"idempotency_key\":\"order-8\"" + other)), 409,
                        "idempotency_conflict", "idempotency_key");
                assertThat(refused.at("/error/message").asText()).contains("order-8");
            }
            assertThat(JobApiServer.ids(s.get(JOBS))).containsExactly(first);
            assertThat(s.job(first).get("priority").asInt()).isEqualTo(3);
        }

        @Test
        void idempotency_keys_belong_to_the_caller_that_used_them() {
            Map<String, String> alice = operator("Alice");
            Map<String, String> bob = operator("Bob");
            Http.Response a = s.http.post(JOBS, job(",\"idempotency_key\":\"nightly\""), alice);
            Http.Response b = s.http.post(JOBS, job(",\"idempotency_key\":\"nightly\""), bob);
            assertThat(a.status()).as(a.body()).isEqualTo(201);
            assertThat(b.status()).as("another caller's same key is another job: " + b.body()).isEqualTo(201);
            assertThat(b.json().get("id").asText()).isNotEqualTo(a.json().get("id").asText());
            assertThat(b.json().get("created_by").asText()).isNotEqualTo(a.json().get("created_by").asText());
            Http.Response again = s.http.post(JOBS, job(",\"idempotency_key\":\"nightly\""), alice);
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.json().get("id").asText()).isEqualTo(a.json().get("id").asText());
        }

        @Test
        void keys_in_the_webhook_space_are_refused_and_a_delivery_keeps_its_own() {
            Http.Response hook = s.post("/api/v1/webhooks", "{\"name\":\"hook-" + workflowName + "\",\"workflow_id\":\""
                    + workflowId + "\",\"auth_mode\":\"key\"}");
            assertThat(hook.status()).as(hook.body()).isEqualTo(201);
            String hookId = hook.json().get("id").asText();
            String taken = "webhook:" + hookId + ":d-1";
            JsonNode refused = assertError(s.post(JOBS, job(",\"idempotency_key\":\"" + taken + "\"")), 400, "invalid_request",
                    "idempotency_key");
            assertThat(refused.at("/error/message").asText()).contains("webhook:");
            assertError(s.http.post(JOBS, job(""), Map.of("Authorization", "Bearer " + s.adminKey, "Idempotency-Key",
                    "WEBHOOK:" + hookId + ":d-1")), 400, "invalid_request", "idempotency_key");
            assertError(s.http.post(JOBS + "/batch", "{\"jobs\":[" + job("") + "]}", Map.of("Authorization", "Bearer "
                    + s.adminKey, "Idempotency-Key", taken)), 400, "invalid_request", "Idempotency-Key");
            assertThat(JobApiServer.ids(s.get(JOBS))).isEmpty();

            Map<String, String> delivery = Map.of("X-Casare-Webhook-Key", hook.json().get("secret").asText(),
                    "X-Casare-Delivery", "d-1");
            Http.Response first = s.http.post("/webhooks/" + hookId, "{\"n\":1}", delivery);
            assertThat(first.status()).as(first.body()).isEqualTo(202);
            Http.Response repeated = s.http.post("/webhooks/" + hookId, "{\"n\":1}", delivery);
            assertThat(repeated.status()).as(repeated.body()).isEqualTo(200);
            assertThat(repeated.json().get("job_id").asText()).isEqualTo(first.json().get("job_id").asText());
            assertError(s.http.post("/webhooks/" + hookId, "{\"n\":2}", delivery), 409, "idempotency_conflict",
                    "X-Casare-Delivery");
            assertThat(JobApiServer.ids(s.get(JOBS))).containsExactly(first.json().get("job_id").asText());
            assertThat(s.job(first.json().get("job_id").asText()).get("idempotency_key").asText()).isEqualTo(taken);
        }

        @Test
        void a_batch_retried_with_its_idempotency_key_is_stored_once() {
            Map<String, String> alice = operator("Alice");
            Map<String, String> keyed = new java.util.HashMap<>(alice);
            keyed.put("Idempotency-Key", "import-2027-05-01");
            String body = "{\"jobs\":[" + job(",\"priority\":1") + "," + job(",\"variables\":{\"n\":2}") + "]}";
            Http.Response first = s.http.post(JOBS + "/batch", body, keyed);
            assertThat(first.status()).as(first.body()).isEqualTo(201);
            assertThat(first.json().get("created").asBoolean()).isTrue();
            List<String> ids = JobApiServer.ids(first);

            Http.Response retried = s.http.post(JOBS + "/batch", body, keyed);
            assertThat(retried.status()).as(retried.body()).isEqualTo(200);
            assertThat(retried.json().get("created").asBoolean()).isFalse();
            assertThat(JobApiServer.ids(retried)).containsExactlyElementsOf(ids);
            assertThat(JobApiServer.ids(s.get(JOBS))).containsExactlyInAnyOrderElementsOf(ids);

            String other = "{\"jobs\":[" + job(",\"priority\":2") + "," + job(",\"variables\":{\"n\":2}") + "]}";
            assertError(s.http.post(JOBS + "/batch", other, keyed), 409, "idempotency_conflict", "Idempotency-Key");
            assertThat(JobApiServer.ids(s.get(JOBS))).hasSize(2);

            Map<String, String> bob = new java.util.HashMap<>(operator("Bob"));
            bob.put("Idempotency-Key", "import-2027-05-01");
            Http.Response bobs = s.http.post(JOBS + "/batch", body, bob);
            assertThat(bobs.status()).as("another caller's same key is its own batch").isEqualTo(201);
            assertThat(JobApiServer.ids(s.get(JOBS))).hasSize(4);
            assertThat(audited("job.submit_batch")).containsOnlyOnce(ids.getFirst());
        }

        /** A new operator key, as headers. */
        Map<String, String> operator(String name) {
            Http.Response r = s.post("/api/v1/api-keys", "{\"name\":\"" + name + "\",\"role\":\"operator\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            return Map.of("Authorization", "Bearer " + r.json().get("key").asText());
        }

        @Test
        void a_batch_is_stored_whole_and_answered_in_order() {
            String body = "{\"jobs\":[" + job(",\"priority\":1") + ",{\"workflow_name\":\"" + workflowName
                    + "\",\"variables\":{\"n\":2}}," + job(",\"tags\":[\"t\"]") + "]}";
            Http.Response r = s.post(JOBS + "/batch", body);
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            List<String> ids = JobApiServer.ids(r);
            assertThat(ids).hasSize(3).isSorted();
            assertThat(r.json().at("/items/0/priority").asInt()).isEqualTo(1);
            assertThat(r.json().at("/items/1/variables/n").asInt()).isEqualTo(2);
            assertThat(r.json().at("/items/2/tags/0").asText()).isEqualTo("t");
            assertThat(JobApiServer.ids(s.get(JOBS + "?workflow_id=" + workflowId))).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(audited("job.submit_batch")).isNotEmpty();
            assertThat(audited("job.submit")).doesNotContainAnyElementsOf(ids);
        }

        @Test
        void a_batch_with_one_bad_job_stores_none() {
            String good = job("");
            assertError(s.post(JOBS + "/batch", "{\"jobs\":[" + good + "," + job(",\"priority\":99") + "]}"), 400,
                    "invalid_request", "jobs[1].priority");
            assertError(s.post(JOBS + "/batch", "{\"jobs\":[" + good + ",{\"workflow_id\":\"wf_gone\"}]}"), 404, "not_found",
                    null);
            assertError(s.post(JOBS + "/batch", "{\"jobs\":[" + job(",\"idempotency_key\":\"k\"") + "]}"), 400,
                    "invalid_request", "jobs[0].idempotency_key");
            assertError(s.http.post(JOBS + "/batch", "{\"jobs\":[" + good + "]}",
                    Map.of("Authorization", "Bearer " + s.adminKey, "Idempotency-Key", " ")), 400, "invalid_request",
                    "Idempotency-Key");
            assertError(s.post(JOBS + "/batch", "{\"jobs\":[]}"), 400, "invalid_request", "jobs");
            assertError(s.post(JOBS + "/batch", "{\"jobs\":[" + good + ",3]}"), 400, "invalid_request", "jobs[1]");
            String tooMany = IntStream.range(0, 1001).mapToObj(i -> good).collect(Collectors.joining(",", "{\"jobs\":[", "]}"));
            assertError(s.post(JOBS + "/batch", tooMany), 400, "invalid_request", "jobs");
            assertThat(JobApiServer.ids(s.get(JOBS))).isEmpty();
        }

        @Test
        void a_batch_of_a_thousand_is_one_call() {
            String body = IntStream.range(0, 1000).mapToObj(i -> job(",\"variables\":{\"i\":" + i + "}"))
                    .collect(Collectors.joining(",", "{\"jobs\":[", "]}"));
            Http.Response r = s.post(JOBS + "/batch", body);
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            assertThat(r.json().get("items")).hasSize(1000);
            assertThat(r.json().at("/items/999/variables/i").asInt()).isEqualTo(999);
            assertThat(JobApiServer.ids(r)).isSorted();
        }

        @Test
        void higher_priority_runs_first_and_equal_priorities_in_submission_order() {
            String low = submit(",\"priority\":0");
            String top1 = submit(",\"priority\":20");
            String normal = submit("");
            List<String> batch = JobApiServer.ids(s.post(JOBS + "/batch", "{\"jobs\":[" + job(",\"priority\":20") + ","
                    + job(",\"priority\":20") + "]}"));

            List<JobClaims.Claim> claims = s.claim("robot-prio", 10);
            assertThat(claims).extracting(c -> c.job().id())
                    .containsExactly(top1, batch.get(0), batch.get(1), normal, low);
        }

        /** The target ids of the audit events with this action. */
        List<String> audited(String action) {
            Http.Response r = s.get("/api/v1/audit?action=" + action + "&limit=500");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            List<String> ids = new java.util.ArrayList<>();
            r.json().get("items").forEach(e -> ids.add(e.get("target_id").asText()));
            return ids;
        }
    }
}
