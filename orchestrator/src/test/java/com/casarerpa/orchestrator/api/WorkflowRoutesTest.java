package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.WorkflowJson;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.RecordingAuditTrail;
import com.casarerpa.orchestrator.testing.Samples;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workflow REST API over real HTTP, on PostgreSQL and on H2. */
class WorkflowRoutesTest {
    static final Map<String, String> NONE = Map.of();
    static final String BASE = "/api/v1/workflows";

    abstract static class Contract {
        MigratedDatabase db;
        WorkflowApiServer server;
        Http http;

        abstract MigratedDatabase newDatabase();

        @BeforeEach
        void start() {
            db = newDatabase();
            server = new WorkflowApiServer(db);
            http = server.http;
        }

        @AfterEach
        void stop() {
            server.close();
            db.close();
        }

        static String deployBody(String name, String workflow) {
            return "{\"name\":\"" + name + "\",\"workflow_data\":" + workflow + "}";
        }

        Http.Response deploy(String name, String workflow) {
            return http.post(BASE, deployBody(name, workflow), NONE);
        }

        JsonNode deployed(String name, String workflow) {
            Http.Response r = deploy(name, workflow);
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            return r.json();
        }

        /** Every 4xx has the one error shape, and names the field when there is one. */
        static JsonNode assertError(Http.Response r, int status, String code, String field) {
            assertThat(r.status()).as(r.body()).isEqualTo(status);
            JsonNode body = r.json();
            assertThat(body.at("/error/code").asText()).isEqualTo(code);
            assertThat(body.at("/error/message").asText()).isNotBlank();
            assertThat(body.at("/error/details").isObject()).isTrue();
            assertThat(body.at("/request_id").asText()).isNotBlank().isEqualTo(r.header("X-Request-ID"));
            if (field != null) {
                assertThat(body.at("/error/details/field").asText()).isEqualTo(field);
            }
            return body;
        }

        static JsonNode exact(String json) {
            return WorkflowJson.parse(json);
        }

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
        void a_schedule_trigger_is_refused_with_422_and_nothing_is_stored() {
            Http.Response r = http.post(BASE, "{\"name\":\"Daily\",\"workflow_data\":" + Samples.chain("d", "a")
                    + ",\"trigger\":{\"type\":\"schedule\",\"cron\":\"0 9 * * *\"}}", NONE);

            JsonNode body = assertError(r, 422, "unsupported_trigger", "trigger.type");
            assertThat(body.at("/error/message").asText()).contains("schedules arrive with the scheduler").contains("Nothing was stored");
            assertThat(http.get(BASE).json().get("items")).isEmpty();
            assertError(http.get(BASE + "/Daily"), 404, "not_found", null);
            assertThat(server.audit.entries()).isEmpty();
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

        @Test
        void the_list_filters_by_name_substring_and_by_tag() {
            String wf = Samples.chain("x", "a");
            http.post(BASE, "{\"name\":\"Invoice_import\",\"tags\":[\"finance\"],\"workflow_data\":" + wf + "}", NONE);
            http.post(BASE, "{\"name\":\"invoice export\",\"tags\":[\"finance\",\"nightly\"],\"workflow_data\":" + wf + "}", NONE);
            http.post(BASE, "{\"name\":\"Payroll\",\"tags\":[\"finance-eu\"],\"workflow_data\":" + wf + "}", NONE);

            assertThat(names(http.get(BASE + "?q=INVOICE"))).containsExactly("Invoice_import", "invoice export");
            assertThat(names(http.get(BASE + "?q=e_i"))).containsExactly("Invoice_import");
            assertThat(names(http.get(BASE + "?q=%25"))).isEmpty();
            assertThat(names(http.get(BASE + "?tag=finance"))).containsExactly("Invoice_import", "invoice export");
            assertThat(names(http.get(BASE + "?tag=nightly&q=export"))).containsExactly("invoice export");
            assertThat(names(http.get(BASE + "?tag=fin"))).isEmpty();
        }

        private static List<String> names(Http.Response r) {
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            List<String> names = new ArrayList<>();
            r.json().get("items").forEach(i -> names.add(i.get("name").asText()));
            return names;
        }

        @Test
        void the_list_pages_through_every_workflow_with_cursors() {
            for (int i = 0; i < 7; i++) {
                deployed("wf-" + i, Samples.chain("x", "a"));
            }
            Set<String> seen = new HashSet<>();
            List<Integer> sizes = new ArrayList<>();
            String cursor = null;
            do {
                Http.Response page = http.get(BASE + "?limit=3" + (cursor == null ? "" : "&cursor=" + cursor));
                assertThat(page.status()).isEqualTo(200);
                page.json().get("items").forEach(i -> seen.add(i.get("id").asText()));
                sizes.add(page.json().get("items").size());
                cursor = page.json().get("next_cursor").isNull() ? null : page.json().get("next_cursor").asText();
            } while (cursor != null);

            assertThat(sizes).containsExactly(3, 3, 1);
            assertThat(seen).hasSize(7);
            JsonNode all = http.get(BASE).json();
            assertThat(all.get("items")).hasSize(7);
            assertThat(all.get("next_cursor").isNull()).isTrue();
            assertThat(all.get("items").get(0).has("workflow_data")).isFalse();
        }

        @Test
        void bad_limits_and_cursors_are_400() {
            assertError(http.get(BASE + "?limit=0"), 400, "invalid_request", "limit");
            assertError(http.get(BASE + "?limit=501"), 400, "invalid_request", "limit");
            assertError(http.get(BASE + "?limit=ten"), 400, "invalid_request", "limit");
            assertError(http.get(BASE + "?cursor=not-a-cursor"), 400, "invalid_request", "cursor");
            assertThat(http.get(BASE + "?limit=500").status()).isEqualTo(200);
        }

        @Test
        void patch_changes_description_and_tags_and_keeps_the_versions() {
            JsonNode d = deployed("Meta", Samples.chain("m", "a"));
            String id = d.get("id").asText();

            Http.Response r = http.patch(BASE + "/" + id, "{\"description\":\"new\",\"tags\":[\"t1\",\"t1\",\"t2\"]}", NONE);

            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("description").asText()).isEqualTo("new");
            assertThat(r.json().get("tags")).extracting(JsonNode::asText).containsExactly("t1", "t2");
            JsonNode read = http.get(BASE + "/Meta").json();
            assertThat(read.get("version").asInt()).isEqualTo(1);
            assertThat(read.get("checksum").asText()).isEqualTo(d.get("checksum").asText());
            assertThat(read.get("tags")).hasSize(2);
            assertThat(http.patch(BASE + "/" + id, "{\"description\":null}", NONE).json().get("description").isNull()).isTrue();
            assertThat(server.audit.actions()).containsExactly("workflow.deploy", "workflow.update", "workflow.update");
            assertError(http.patch(BASE + "/" + id, "{\"workflow_data\":{}}", NONE), 400, "invalid_request", "workflow_data");
            assertError(http.patch(BASE + "/" + id, "{\"colour\":\"red\"}", NONE), 400, "invalid_request", "colour");
            assertError(http.patch(BASE + "/" + id, "{\"tags\":[1]}", NONE), 400, "invalid_request", "tags[0]");
        }

        @Test
        void delete_is_refused_while_something_refers_to_the_workflow_and_cascades_on_request() {
            String id = deployed("Used", Samples.chain("u", "a")).get("id").asText();
            server.references.add(id, "2 pending jobs");

            JsonNode refused = assertError(http.delete(BASE + "/" + id, NONE), 409, "conflict", null);
            assertThat(refused.at("/error/details/references")).extracting(JsonNode::asText).containsExactly("2 pending jobs");
            assertThat(refused.at("/error/message").asText()).contains("cascade=true");
            assertThat(http.get(BASE + "/" + id).status()).isEqualTo(200);
            assertError(http.delete(BASE + "/" + id + "?cascade=maybe", NONE), 400, "invalid_request", "cascade");

            Http.Response deleted = http.delete(BASE + "/" + id + "?cascade=true", NONE);

            assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
            assertThat(deleted.json().get("deleted").asBoolean()).isTrue();
            assertThat(server.references.removed).containsExactly(id);
            assertError(http.get(BASE + "/" + id), 404, "not_found", null);
            assertError(http.get(BASE + "/" + id + "/versions/1"), 404, "not_found", null);
            assertThat(server.audit.actions()).containsExactly("workflow.deploy", "workflow.delete");
            assertThat(server.audit.entries().getLast().details()).containsEntry("cascade", true);
        }

        @Test
        void delete_without_references_needs_no_cascade_and_frees_the_name() {
            String id = deployed("Free", Samples.chain("f", "a")).get("id").asText();

            assertThat(http.delete(BASE + "/Free", NONE).status()).isEqualTo(200);

            JsonNode again = deployed("Free", Samples.chain("f", "a"));
            assertThat(again.get("id").asText()).isNotEqualTo(id);
            assertThat(again.get("version").asInt()).isEqualTo(1);
        }

        @Test
        void unknown_workflows_and_versions_are_404_and_bad_version_numbers_400() {
            String id = deployed("Known", Samples.chain("k", "a")).get("id").asText();

            assertError(http.get(BASE + "/wf_nope"), 404, "not_found", null);
            assertError(http.get(BASE + "/wf_nope/versions"), 404, "not_found", null);
            assertError(http.get(BASE + "/" + id + "?version=9"), 404, "not_found", null);
            assertError(http.get(BASE + "/" + id + "/versions/9"), 404, "not_found", null);
            assertError(http.patch(BASE + "/wf_nope", "{\"description\":\"x\"}", NONE), 404, "not_found", null);
            assertError(http.delete(BASE + "/wf_nope", NONE), 404, "not_found", null);
            assertError(http.get(BASE + "/export?workflow=wf_nope"), 404, "not_found", null);
            assertError(http.get(BASE + "/" + id + "/versions/one"), 400, "invalid_request", "version");
            assertError(http.get(BASE + "/" + id + "?version=0"), 400, "invalid_request", "version");
        }

        @Test
        void export_holds_every_workflow_and_version_and_importing_it_again_skips_identical_ones() {
            deployed("A", Samples.text(Samples.SNIPPET));
            deployed("A", Samples.chain("a", "x"));
            deployed("B", Samples.text(Samples.BATCH));

            Http.Response export = http.get(BASE + "/export");

            assertThat(export.status()).isEqualTo(200);
            JsonNode doc = exact(export.body());
            assertThat(doc.get("format").asText()).isEqualTo("casare-rpa-workflows");
            assertThat(doc.get("format_version").asInt()).isEqualTo(1);
            assertThat(doc.get("exported_at").asText()).endsWith("Z");
            assertThat(doc.get("workflows")).extracting(w -> w.get("name").asText()).containsExactly("A", "B");
            assertThat(doc.at("/workflows/0/versions/0/workflow_data")).isEqualTo(exact(Samples.text(Samples.SNIPPET)));
            assertThat(doc.at("/workflows/0/versions/1/version").asInt()).isEqualTo(2);

            Http.Response again = http.post(BASE + "/import", export.body(), NONE);
            assertThat(again.status()).as(again.body()).isEqualTo(200);
            assertThat(again.json().get("imported")).isEmpty();
            assertThat(again.json().get("skipped")).hasSize(2);

            JsonNode one = exact(http.get(BASE + "/export?workflow=A&version=2").body());
            assertThat(one.get("workflows")).hasSize(1);
            assertThat(one.at("/workflows/0/versions")).extracting(v -> v.get("version").asInt()).containsExactly(2);
            assertError(http.get(BASE + "/export?version=2"), 400, "invalid_request", "version");
        }

        @Test
        void an_import_that_clashes_or_was_tampered_with_changes_nothing() {
            deployed("A", Samples.chain("a", "x"));
            String export = http.get(BASE + "/export").body();
            http.delete(BASE + "/A", NONE);
            deployed("A", Samples.chain("a", "other")); // same name, new id

            JsonNode clash = assertError(http.post(BASE + "/import", export, NONE), 409, "conflict", null);
            assertThat(clash.at("/error/details/conflicts/0/reason").asText()).startsWith("the name is taken by workflow");

            String tampered = export.replace("\"value\" : \"x\"", "\"value\" : \"y\"").replace("\"value\":\"x\"", "\"value\":\"y\"");
            assertThat(tampered).isNotEqualTo(export);
            assertError(http.post(BASE + "/import", tampered, NONE), 400, "invalid_request",
                    "workflows[0].versions[0].checksum");
            assertError(http.post(BASE + "/import", "{\"format\":\"other\"}", NONE), 400, "invalid_request", "format");
            assertError(http.post(BASE + "/import", Samples.text(Samples.BATCH), NONE), 400, "invalid_request", "format");
            assertThat(http.get(BASE).json().get("items")).hasSize(1);
            assertThat(server.audit.actions()).doesNotContain("workflow.import");
        }
    }

    @Test
    void every_workflow_route_is_registered_with_its_access() {
        try (WorkflowApiServer s = new WorkflowApiServer(MigratedDatabase.h2(tempDir.resolve("routes")))) {
            List<String> declared = s.api.endpoints().stream()
                    .filter(e -> e.path().startsWith(BASE))
                    .map(e -> e.method() + " " + e.path() + " " + e.access().map(Enum::name).orElse("NONE"))
                    .toList();
            assertThat(declared).containsExactlyInAnyOrder(
                    "POST /api/v1/workflows OPERATOR",
                    "GET /api/v1/workflows VIEWER",
                    "GET /api/v1/workflows/{id} VIEWER",
                    "GET /api/v1/workflows/{id}/versions VIEWER",
                    "GET /api/v1/workflows/{id}/versions/{version} VIEWER",
                    "PATCH /api/v1/workflows/{id} OPERATOR",
                    "DELETE /api/v1/workflows/{id} ADMIN",
                    "GET /api/v1/workflows/export VIEWER",
                    "POST /api/v1/workflows/import ADMIN");
        }
    }

    @TempDir
    static Path tempDir;

    @Nested
    class OnPostgres extends Contract {
        @Override
        MigratedDatabase newDatabase() {
            return MigratedDatabase.postgres();
        }
    }

    @Nested
    class OnH2 extends Contract {
        @TempDir
        Path dataDir;

        @Override
        MigratedDatabase newDatabase() {
            return MigratedDatabase.h2(dataDir);
        }
    }
}
