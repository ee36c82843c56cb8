package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.RecordingAuditTrail;
import com.casarerpa.orchestrator.testing.Samples;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deploying and reading workflows over real HTTP, on PostgreSQL and on H2: versions, field errors, triggers, access. */
class WorkflowRoutesTest {

    @Nested
    @BothDatabases
    class Contract extends WorkflowRoutesContract {
        @Test
        void both_samples_deploy_and_read_back_unchanged() {
            for (String sample : List.of(Samples.BATCH, Samples.SNIPPET)) {
                JsonNode d = deployed(sample, Samples.text(sample));

                Http.Response read = http.get(BASE + "/" + d.get("id").asText());
                assertThat(read.status()).isEqualTo(200);
                assertThat(exact(read.body()).get("workflow_data")).isEqualTo(exact(Samples.text(sample)));
                assertThat(read.json().get("checksum").asText()).isEqualTo(d.get("checksum").asText());
                assertThat(read.json().get("node_count").asInt()).isEqualTo(2);
            }
        }

        @Test
        void a_deploy_answers_201_with_the_workflow_and_its_version_and_is_audited() {
            Http.Response r = http.post(BASE, "{\"name\":\"Daily Report\",\"description\":\"morning\",\"tags\":[\"finance\",\"daily\"],"
                    + "\"workflow_data\":" + Samples.chain("x", "a") + "}", Map.of("X-API-Key", "k_ops"));

            assertThat(r.status()).as(r.body()).isEqualTo(201);
            JsonNode w = r.json();
            assertThat(w.get("id").asText()).matches("wf_[a-z0-9]{16}");
            assertThat(w.get("name").asText()).isEqualTo("Daily Report");
            assertThat(w.get("description").asText()).isEqualTo("morning");
            assertThat(w.get("tags")).extracting(JsonNode::asText).containsExactly("finance", "daily");
            assertThat(w.get("version").asInt()).isEqualTo(1);
            assertThat(w.get("latest_version").asInt()).isEqualTo(1);
            assertThat(w.get("created").asBoolean()).isTrue();
            assertThat(w.get("created_by").asText()).isEqualTo("api_key:k_ops");
            assertThat(w.get("checksum").asText()).hasSize(64);
            assertThat(w.get("created_at").asText()).endsWith("Z");
            RecordingAuditTrail.Entry entry = server.audit.entries().getFirst();
            assertThat(entry.action()).isEqualTo("workflow.deploy");
            assertThat(entry.actor().id()).isEqualTo("k_ops");
            assertThat(entry.targetId()).isEqualTo(w.get("id").asText());
            assertThat(entry.details()).containsEntry("version", 1).containsEntry("name", "Daily Report");
        }

        @Test
        void the_same_name_again_makes_version_two_and_version_one_stays_readable() {
            JsonNode v1 = deployed("Report", Samples.chain("r", "one"));
            JsonNode v2 = deployed("Report", Samples.chain("r", "one", "two"));

            assertThat(v2.get("id").asText()).isEqualTo(v1.get("id").asText());
            assertThat(v2.get("version").asInt()).isEqualTo(2);
            assertThat(v2.get("created").asBoolean()).isFalse();
            String id = v1.get("id").asText();
            assertThat(http.get(BASE + "/" + id).json().get("version").asInt()).isEqualTo(2);
            assertThat(exact(http.get(BASE + "/" + id + "?version=1").body()).get("workflow_data"))
                    .isEqualTo(exact(Samples.chain("r", "one")));
            assertThat(exact(http.get(BASE + "/" + id + "/versions/1").body()).get("workflow_data"))
                    .isEqualTo(exact(Samples.chain("r", "one")));
            assertThat(http.get(BASE + "/Report").json().get("id").asText()).isEqualTo(id);
            JsonNode versions = http.get(BASE + "/" + id + "/versions").json();
            assertThat(versions.get("workflow_id").asText()).isEqualTo(id);
            assertThat(versions.get("items")).extracting(v -> v.get("version").asInt()).containsExactly(1, 2);
            assertThat(versions.get("items").get(0).has("workflow_data")).isFalse();
            assertThat(versions.get("items").get(0).get("checksum").asText()).isEqualTo(v1.get("checksum").asText());
            assertThat(server.audit.actions()).containsExactly("workflow.deploy", "workflow.deploy");
        }

        @Test
        void an_invalid_workflow_names_the_first_field_and_lists_every_problem() {
            String bad = "{\"nodes\":{\"a\":{\"node_id\":\"b\",\"node_type\":\"StartNode\"},\"c\":{}},"
                    + "\"connections\":[{\"source_node\":\"a\",\"source_port\":\"exec_out\",\"target_node\":\"zz\",\"target_port\":\"exec_in\"}]}";

            JsonNode body = assertError(deploy("bad", bad), 400, "invalid_request", "workflow_data.nodes.a.node_id");

            assertThat(body.at("/error/details/problems")).extracting(p -> p.get("field").asText()).containsExactly(
                    "workflow_data.nodes.a.node_id", "workflow_data.nodes.c.node_type",
                    "workflow_data.connections[0].target_node");
            assertThat(body.at("/error/message").asText()).startsWith("workflow_data.nodes.a.node_id: must equal its key")
                    .endsWith("(and 2 more problems in details.problems)");
            assertThat(http.get(BASE).json().get("items")).isEmpty();
            assertThat(server.audit.entries()).isEmpty();
        }

        @Test
        void malformed_bodies_wrong_types_and_missing_fields_are_400_naming_the_field() {
            String wf = Samples.chain("x", "a");
            assertError(http.post(BASE, "{\"name\": ", NONE), 400, "invalid_request", "body");
            assertError(http.post(BASE, "", NONE), 400, "invalid_request", "body");
            assertError(http.post(BASE, "[1]", NONE), 400, "invalid_request", "body");
            assertError(http.post(BASE, "{\"workflow_data\":" + wf + "}", NONE), 400, "invalid_request", "name");
            assertError(http.post(BASE, "{\"name\":5,\"workflow_data\":" + wf + "}", NONE), 400, "invalid_request", "name");
            assertError(http.post(BASE, "{\"name\":\" \",\"workflow_data\":" + wf + "}", NONE), 400, "invalid_request", "name");
            assertError(http.post(BASE, "{\"name\":\"a/b\",\"workflow_data\":" + wf + "}", NONE), 400, "invalid_request", "name");
            assertError(http.post(BASE, "{\"name\":\"n\"}", NONE), 400, "invalid_request", "workflow_data");
            assertError(http.post(BASE, "{\"name\":\"n\",\"workflow_data\":[]}", NONE), 400, "invalid_request", "workflow_data");
            assertError(http.post(BASE, "{\"name\":\"n\",\"workflow_data\":\"{oops\"}", NONE), 400, "invalid_request", "workflow_data");
            assertError(http.post(BASE, "{\"name\":\"n\",\"description\":1,\"workflow_data\":" + wf + "}", NONE),
                    400, "invalid_request", "description");
            assertError(http.post(BASE, "{\"name\":\"n\",\"tags\":\"a\",\"workflow_data\":" + wf + "}", NONE),
                    400, "invalid_request", "tags");
            assertError(http.post(BASE, "{\"name\":\"n\",\"tags\":[\"a\",2],\"workflow_data\":" + wf + "}", NONE),
                    400, "invalid_request", "tags[1]");
            assertError(http.post(BASE, "{\"name\":\"n\",\"tags\":[\"a\",\"b\\\"c\"],\"workflow_data\":" + wf + "}", NONE),
                    400, "invalid_request", "tags[1]");
            assertThat(http.get(BASE).json().get("items")).isEmpty();
        }

        @Test
        void workflow_data_may_also_be_sent_as_a_json_string() {
            String asString = WorkflowJson.mapper().getNodeFactory().textNode(Samples.text(Samples.BATCH)).toString();

            JsonNode d = deployed("as-string", asString);

            assertThat(exact(http.get(BASE + "/" + d.get("id").asText()).body()).get("workflow_data"))
                    .isEqualTo(exact(Samples.text(Samples.BATCH)));
        }

        @Test
        void a_schedule_trigger_makes_a_schedule_named_after_the_workflow_and_a_repeat_changes_it() {
            Http.Response r = http.post(BASE, "{\"name\":\"Daily\",\"workflow_data\":" + Samples.chain("d", "a")
                    + ",\"trigger\":{\"type\":\"schedule\",\"cron\":\"0 9 * * *\"}}", NONE);

            assertThat(r.status()).as(r.body()).isEqualTo(201);
            JsonNode schedule = r.json().get("schedule");
            assertThat(schedule.get("name").asText()).isEqualTo("Daily");
            assertThat(schedule.get("cron").asText()).isEqualTo("0 9 * * *");
            assertThat(schedule.get("timezone").asText()).isEqualTo("UTC");
            assertThat(schedule.get("next_fire_at").asText()).endsWith("T09:00:00Z");

            Http.Response again = http.post(BASE, "{\"name\":\"Daily\",\"workflow_data\":" + Samples.chain("d", "a")
                    + ",\"trigger\":{\"type\":\"schedule\",\"cron\":\"30 7 * * 1-5\",\"timezone\":\"Europe/Berlin\"}}", NONE);
            assertThat(again.status()).as(again.body()).isEqualTo(201);
            assertThat(again.json().at("/schedule/id").asText()).isEqualTo(schedule.get("id").asText());
            assertThat(again.json().at("/schedule/cron").asText()).isEqualTo("30 7 * * 1-5");
            assertThat(again.json().at("/schedule/next_fire_at").asText()).contains("T07:30:00+0");
        }

        @Test
        void a_schedule_trigger_with_a_wrong_cron_is_400_naming_the_field_and_nothing_is_stored() {
            Http.Response r = http.post(BASE, "{\"name\":\"Daily\",\"workflow_data\":" + Samples.chain("d", "a")
                    + ",\"trigger\":{\"type\":\"schedule\",\"cron\":\"0 25 * * *\"}}", NONE);

            JsonNode body = assertError(r, 400, "invalid_request", "trigger.cron");
            assertThat(body.at("/error/message").asText()).contains("hour");
            assertThat(http.get(BASE).json().get("items")).isEmpty();
            assertThat(server.audit.entries()).isEmpty();
        }

        @Test
        void a_trigger_whose_schedule_name_belongs_to_another_workflow_or_with_bad_job_options_stores_nothing() {
            assertThat(http.post(BASE, "{\"name\":\"First\",\"workflow_data\":" + Samples.chain("d", "a")
                    + ",\"trigger\":{\"type\":\"schedule\",\"cron\":\"@daily\",\"name\":\"Nightly\"}}", NONE).status()).isEqualTo(201);

            Http.Response taken = http.post(BASE, "{\"name\":\"Second\",\"workflow_data\":" + Samples.chain("d", "a")
                    + ",\"trigger\":{\"type\":\"schedule\",\"cron\":\"@daily\",\"name\":\"Nightly\"}}", NONE);
            Http.Response badJob = http.post(BASE, "{\"name\":\"Third\",\"workflow_data\":" + Samples.chain("d", "a")
                    + ",\"trigger\":{\"type\":\"schedule\",\"cron\":\"@daily\",\"job\":{\"priority\":50}}}", NONE);

            assertThat(taken.status()).as(taken.body()).isEqualTo(409);
            assertError(badJob, 400, "invalid_request", "trigger.job.priority");
            assertError(http.get(BASE + "/Second", NONE), 404, "not_found", null);
            assertError(http.get(BASE + "/Third", NONE), 404, "not_found", null);
        }

        @Test
        void other_trigger_shapes_are_400() {
            String wf = Samples.chain("d", "a");
            assertError(http.post(BASE, "{\"name\":\"n\",\"workflow_data\":" + wf + ",\"trigger\":\"schedule\"}", NONE),
                    400, "invalid_request", "trigger");
            assertError(http.post(BASE, "{\"name\":\"n\",\"workflow_data\":" + wf + ",\"trigger\":{\"cron\":\"x\"}}", NONE),
                    400, "invalid_request", "trigger.type");
            assertError(http.post(BASE, "{\"name\":\"n\",\"workflow_data\":" + wf + ",\"trigger\":{\"type\":\"webhook\"}}", NONE),
                    400, "invalid_request", "trigger.type");
            assertThat(http.get(BASE).json().get("items")).isEmpty();
        }
    }

    @Test
    void every_workflow_route_is_registered_with_its_access() {
        try (WorkflowApiServer s = new WorkflowApiServer(MigratedDatabase.h2(tempDir.resolve("routes")))) {
            List<String> declared = s.api.endpoints().stream()
                    .filter(e -> e.path().startsWith(WorkflowRoutesContract.BASE))
                    .map(e -> e.method() + " " + e.path() + " " + e.access().map(Access::wireName).orElse("NONE"))
                    .toList();
            assertThat(declared).containsExactlyInAnyOrder(
                    "POST /api/v1/workflows workflow.deploy",
                    "GET /api/v1/workflows workflow.read",
                    "GET /api/v1/workflows/{id} workflow.read",
                    "GET /api/v1/workflows/{id}/versions workflow.read",
                    "GET /api/v1/workflows/{id}/versions/{version} workflow.read",
                    "PATCH /api/v1/workflows/{id} workflow.deploy",
                    "DELETE /api/v1/workflows/{id} workflow.delete",
                    "GET /api/v1/workflows/export workflow.read",
                    "POST /api/v1/workflows/import workflow.import");
        }
    }

    @TempDir
    static Path tempDir;
}
