package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.Samples;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Listing, paging, metadata, delete, export and import of workflows over real HTTP, on PostgreSQL and on H2. */
class WorkflowManagementRoutesTest {

    @Nested
    @BothDatabases
    class Contract extends WorkflowRoutesContract {
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
}
