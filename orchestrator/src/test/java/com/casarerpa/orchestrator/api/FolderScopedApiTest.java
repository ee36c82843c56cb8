package com.casarerpa.orchestrator.api;

import static com.casarerpa.orchestrator.testing.FolderFixture.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.FolderFixture;
import com.casarerpa.orchestrator.testing.FolderFixture.Binding;
import com.casarerpa.orchestrator.testing.FolderFixture.Resources;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.JobApiServer;
import com.casarerpa.orchestrator.testing.Samples;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Workflows, jobs, schedules, webhooks and the audit trail in folders, on PostgreSQL and H2: who
 * sees and changes what, where a deploy puts a workflow, moving one with its triggers, export and
 * import with folders, bulk retries across folders, and the audit trail of a folder admin.
 */
class FolderScopedApiTest {

    @Nested
    @BothDatabases
    class Contract extends JobApiContract {
        private FolderFixture f;
        private String a;
        private String b;
        private String c;

        @BeforeEach
        void folders() {
            f = new FolderFixture(s);
            String suffix = UUID.randomUUID().toString().substring(0, 6);
            a = f.folder("A-" + suffix, FolderFixture.ROOT);
            b = f.folder("B-" + suffix, FolderFixture.ROOT);
            c = f.folder("C-" + suffix, FolderFixture.ROOT);
        }

        @Test
        void a_user_with_operator_in_folder_a_and_viewer_in_folder_b_cannot_change_b_or_see_c() {
            Map<String, String> caller = as(f.keyWith(new Binding("operator", a), new Binding("viewer", b)));
            Resources inA = f.resourcesIn(a);
            Resources inB = f.resourcesIn(b);
            Resources inC = f.resourcesIn(c);

            // Sees A and B, in every listing; C's resources are not there.
            assertThat(JobApiServer.ids(s.http.get("/api/v1/workflows?limit=500", caller)))
                    .contains(inA.workflowId(), inB.workflowId()).doesNotContain(inC.workflowId());
            assertThat(JobApiServer.ids(s.http.get(JOBS + "?limit=500", caller)))
                    .contains(inA.jobId(), inB.jobId()).doesNotContain(inC.jobId());
            assertThat(JobApiServer.ids(s.http.get("/api/v1/schedules", caller)))
                    .contains(inA.scheduleId(), inB.scheduleId()).doesNotContain(inC.scheduleId());
            assertThat(JobApiServer.ids(s.http.get("/api/v1/webhooks", caller)))
                    .contains(inA.webhookId(), inB.webhookId()).doesNotContain(inC.webhookId());
            JsonNode seen = s.http.get("/api/v1/workflows/" + inB.workflowId(), caller).json();
            assertThat(seen.at("/folder/id").asText()).isEqualTo(b);
            assertThat(seen.at("/folder/path").asText()).startsWith("Default/B-");

            // Changes A.
            Http.Response run = s.http.post(JOBS, "{\"workflow_id\":\"" + inA.workflowId() + "\"}", caller);
            assertThat(run.status()).as(run.body()).isEqualTo(201);
            f.jobInFolder(run.json().get("id").asText(), a);
            assertThat(s.job(run.json().get("id").asText()).at("/folder/path").asText()).isEqualTo(f.tree().path(a));
            assertThat(s.http.post(JOBS + "/" + inA.jobId() + "/cancel", "", caller).status()).isEqualTo(200);
            assertThat(s.http.post("/api/v1/schedules/" + inA.scheduleId() + "/disable", "", caller).status()).isEqualTo(200);
            assertThat(s.http.post("/api/v1/webhooks/" + inA.webhookId() + "/disable", "", caller).status()).isEqualTo(200);

            // Reads B but changes nothing there: 403 naming the permission and the folder.
            assertForbidden(s.http.post(JOBS, "{\"workflow_id\":\"" + inB.workflowId() + "\"}", caller), "job.run", b);
            assertForbidden(s.http.post(JOBS + "/" + inB.jobId() + "/cancel", "", caller), "job.cancel", b);
            assertForbidden(s.http.post("/api/v1/schedules/" + inB.scheduleId() + "/disable", "", caller), "schedule.change", b);
            assertForbidden(s.http.patch("/api/v1/schedules/" + inB.scheduleId(), "{\"cron\":\"0 1 * * *\"}", caller),
                    "schedule.change", b);
            assertForbidden(s.http.delete("/api/v1/webhooks/" + inB.webhookId(), caller), "webhook.change", b);
            assertForbidden(s.http.post("/api/v1/schedules", "{\"name\":\"mine-" + inB.workflowName() + "\",\"workflow_id\":\""
                    + inB.workflowId() + "\",\"cron\":\"0 1 * * *\"}", caller), "schedule.change", b);
            assertThat(s.job(inB.jobId()).get("state").asText()).isEqualTo("pending");
            assertThat(s.get("/api/v1/schedules/" + inB.scheduleId()).json().get("enabled").asBoolean()).isTrue();

            // C does not exist for it: the answers an unknown id gets.
            assertSameAsUnknown(s.http.get("/api/v1/workflows/" + inC.workflowId(), caller),
                    s.http.get("/api/v1/workflows/wf_none", caller), inC.workflowId(), "wf_none");
            assertSameAsUnknown(s.http.get("/api/v1/workflows/" + inC.workflowName(), caller),
                    s.http.get("/api/v1/workflows/no-such-name", caller), inC.workflowName(), "no-such-name");
            assertSameAsUnknown(s.http.get(JOBS + "/" + inC.jobId(), caller), s.http.get(JOBS + "/job_none", caller),
                    inC.jobId(), "job_none");
            assertSameAsUnknown(s.http.post(JOBS + "/" + inC.jobId() + "/cancel", "", caller),
                    s.http.post(JOBS + "/job_none/cancel", "", caller), inC.jobId(), "job_none");
            assertSameAsUnknown(s.http.post(JOBS, "{\"workflow_id\":\"" + inC.workflowId() + "\"}", caller),
                    s.http.post(JOBS, "{\"workflow_id\":\"wf_none\"}", caller), inC.workflowId(), "wf_none");
            assertSameAsUnknown(s.http.get("/api/v1/schedules/" + inC.scheduleId(), caller),
                    s.http.get("/api/v1/schedules/sch_none", caller), inC.scheduleId(), "sch_none");
            assertSameAsUnknown(s.http.get("/api/v1/webhooks/" + inC.webhookId(), caller),
                    s.http.get("/api/v1/webhooks/wh_none", caller), inC.webhookId(), "wh_none");
            assertSameAsUnknown(s.http.get("/api/v1/schedules?workflow_id=" + inC.workflowId(), caller),
                    s.http.get("/api/v1/schedules?workflow_id=wf_none", caller), inC.workflowId(), "wf_none");
            assertError(s.http.get("/api/v1/workflows?folder=" + c, caller), 400, "invalid_request", "folder");
            assertThat(s.job(inC.jobId()).get("state").asText()).isEqualTo("pending");
        }

        @Test
        void a_deploy_goes_to_the_folder_named_by_id_or_path_and_a_new_version_stays_in_its_folder() {
            String finance = f.folder("Finance", a);
            String path = f.tree().path(finance);
            String name = "wf-" + UUID.randomUUID().toString().substring(0, 8);
            Http.Response byPath = s.post("/api/v1/workflows", deploy(name, "\"folder\":\"" + path + "\""));
            assertThat(byPath.status()).as(byPath.body()).isEqualTo(201);
            assertThat(byPath.json().at("/folder/id").asText()).isEqualTo(finance);
            assertThat(byPath.json().at("/folder/path").asText()).isEqualTo(path).startsWith("Default/A-").endsWith("/Finance");

            Http.Response next = s.post("/api/v1/workflows", deploy(name, ""));
            assertThat(next.status()).as(next.body()).isEqualTo(201);
            assertThat(next.json().get("version").asInt()).isEqualTo(2);
            assertThat(next.json().at("/folder/id").asText()).isEqualTo(finance);
            assertThat(s.post("/api/v1/workflows", deploy(name, "\"folder\":\"" + finance + "\"")).status()).isEqualTo(201);
            assertThat(assertError(s.post("/api/v1/workflows", deploy(name, "\"folder\":\"root\"")), 400, "invalid_request",
                    "folder").at("/error/message").asText()).contains("PATCH");

            String other = "wf-" + UUID.randomUUID().toString().substring(0, 8);
            assertError(s.post("/api/v1/workflows", deploy(other, "\"folder\":\"Default/No such folder\"")), 400, "invalid_request",
                    "folder");
            assertError(s.post("/api/v1/workflows", deploy(other, "\"folder\":\"\"")), 400, "invalid_request", "folder");
            assertError(s.post("/api/v1/workflows", deploy(other, "\"folder\":7")), 400, "invalid_request", "folder");
            assertThat(s.get("/api/v1/workflows/" + other).status()).isEqualTo(404);
            assertThat(s.post("/api/v1/workflows", deploy(other, "")).json().at("/folder/path").asText()).isEqualTo("Default");

            // A developer of A deploys into A (and below), not into the root, and not a new version of the root's workflow.
            Map<String, String> developer = as(f.keyWith(new Binding("developer", a)));
            assertForbidden(s.http.post("/api/v1/workflows", deploy("wf-dev-" + other, ""), developer), "workflow.deploy", "root");
            assertThat(s.http.post("/api/v1/workflows", deploy("wf-dev-" + other, "\"folder\":\"" + finance + "\""), developer)
                    .status()).isEqualTo(201);
            assertSameAsUnknown(s.http.post("/api/v1/workflows", deploy(other, "\"folder\":\"" + c + "\""), developer),
                    s.http.post("/api/v1/workflows", deploy(other, "\"folder\":\"fld_none\""), developer), c, "fld_none");
            assertThat(assertError(s.http.post("/api/v1/workflows", deploy(other, ""), developer), 409, "conflict", null)
                    .at("/error/message").asText()).contains("cannot see");
        }

        @Test
        void moving_a_workflow_takes_its_schedules_and_webhooks_along_and_needs_the_permissions_in_both_folders() {
            Resources r = f.resourcesIn(a);
            Map<String, String> developerInBoth = as(f.keyWith(new Binding("folder_admin", a), new Binding("developer", b)));
            assertForbidden(s.http.patch("/api/v1/workflows/" + r.workflowId(), "{\"folder\":\"" + b + "\"}", developerInBoth),
                    "schedule.change", b);
            Map<String, String> viewerOfB = as(f.keyWith(new Binding("folder_admin", a), new Binding("viewer", b)));
            assertForbidden(s.http.patch("/api/v1/workflows/" + r.workflowId(), "{\"folder\":\"" + b + "\"}", viewerOfB),
                    "workflow.deploy", b);
            assertThat(s.get("/api/v1/workflows/" + r.workflowId()).json().at("/folder/id").asText()).isEqualTo(a);

            Map<String, String> adminOfBoth = as(f.keyWith(new Binding("folder_admin", a), new Binding("folder_admin", b)));
            Http.Response moved = s.http.patch("/api/v1/workflows/" + r.workflowId(), "{\"folder\":\"" + f.tree().path(b)
                    + "\",\"description\":\"moved\"}", adminOfBoth);
            assertThat(moved.status()).as(moved.body()).isEqualTo(200);
            assertThat(moved.json().at("/folder/id").asText()).isEqualTo(b);
            assertThat(moved.json().get("description").asText()).isEqualTo("moved");
            assertThat(s.get("/api/v1/schedules/" + r.scheduleId()).json().at("/folder/id").asText()).isEqualTo(b);
            assertThat(s.get("/api/v1/webhooks/" + r.webhookId()).json().at("/folder/id").asText()).isEqualTo(b);
            assertThat(s.job(r.jobId()).at("/folder/id").asText()).as("a job stays where it was submitted").isEqualTo(a);
            Http.Response later = s.post(JOBS, "{\"workflow_id\":\"" + r.workflowId() + "\"}");
            f.jobInFolder(later.json().get("id").asText(), b);
            assertThat(s.job(later.json().get("id").asText()).at("/folder/id").asText()).isEqualTo(b);

            List<String> moves = new ArrayList<>();
            s.get("/api/v1/audit?action=workflow.move").json().get("items").forEach(e -> {
                if (e.get("target_id").asText().equals(r.workflowId())) {
                    moves.add(e.at("/folder/id").asText());
                }
            });
            assertThat(moves).containsExactlyInAnyOrder(a, b);
            assertError(s.http.patch("/api/v1/workflows/" + r.workflowId(), "{\"folder\":null}", adminOfBoth), 400,
                    "invalid_request", "folder");
        }

        @Test
        void a_folder_admin_reads_the_audit_events_of_its_folders_and_each_names_its_folder_and_client_address() {
            Resources inA = f.resourcesIn(a);
            Resources inB = f.resourcesIn(b);
            Map<String, String> adminOfA = as(f.keyWith(new Binding("folder_admin", a)));
            Http.Response deploy = s.http.post("/api/v1/workflows", deploy("wf-audit-" + inA.workflowName(), "\"folder\":\"" + a
                    + "\""), adminOfA);
            assertThat(deploy.status()).as(deploy.body()).isEqualTo(201);

            JsonNode mine = s.http.get("/api/v1/audit?limit=500", adminOfA).json();
            List<String> targets = new ArrayList<>();
            mine.get("items").forEach(e -> {
                assertThat(e.at("/folder/id").asText()).as(e.toString()).isEqualTo(a);
                targets.add(e.get("target_id").asText());
            });
            assertThat(targets).contains(inA.workflowId(), inA.jobId(), inA.scheduleId(), inA.webhookId(),
                    deploy.json().get("id").asText()).doesNotContain(inB.workflowId());
            JsonNode own = mine.get("items").get(0);
            assertThat(own.get("action").asText()).isEqualTo("workflow.deploy");
            assertThat(own.get("actor_kind").asText()).isEqualTo("api_key");
            assertThat(own.get("actor_name").asText()).startsWith("folder caller");
            assertThat(own.get("client_address").asText()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1", "::1");
            assertThat(own.at("/folder/path").asText()).isEqualTo(f.tree().path(a));
            assertError(s.http.get("/api/v1/audit?folder=" + b, adminOfA), 400, "invalid_request", "folder");

            JsonNode all = s.get("/api/v1/audit?limit=500").json();
            List<String> kinds = new ArrayList<>();
            all.get("items").forEach(e -> kinds.add(e.get("action").asText() + "@" + e.at("/folder/id").asText("none")));
            assertThat(kinds).contains("api_key.create@none", "workflow.deploy@" + b);
            assertThat(JobApiServer.ids(s.get("/api/v1/audit?folder=" + b))).isNotEmpty();
        }

        @Test
        void an_export_holds_the_workflows_the_caller_reads_and_an_import_puts_them_back_in_their_folders() {
            Resources inA = f.resourcesIn(a);
            Resources inB = f.resourcesIn(b);
            Map<String, String> viewerOfA = as(f.keyWith(new Binding("viewer", a)));
            JsonNode export = s.http.get("/api/v1/workflows/export", viewerOfA).json();
            List<String> names = new ArrayList<>();
            export.get("workflows").forEach(w -> names.add(w.get("name").asText()));
            assertThat(names).contains(inA.workflowName()).doesNotContain(inB.workflowName());
            assertForbidden(s.http.get("/api/v1/workflows/export?include_secrets=true", viewerOfA), "workflow.export_secrets", a);
            assertSameAsUnknown(s.http.get("/api/v1/workflows/export?workflow=" + inB.workflowId(), viewerOfA),
                    s.http.get("/api/v1/workflows/export?workflow=wf_none", viewerOfA), inB.workflowId(), "wf_none");

            // A workflow of its own (no jobs, no triggers), exported, deleted and imported again.
            String name = "wf-" + UUID.randomUUID().toString().substring(0, 8);
            String id = s.post("/api/v1/workflows", deploy(name, "\"folder\":\"" + a + "\"")).json().get("id").asText();
            JsonNode one = s.get("/api/v1/workflows/export?workflow=" + id).json();
            assertThat(one.at("/workflows/0/folder/id").asText()).isEqualTo(a);
            assertThat(s.http.delete("/api/v1/workflows/" + id, s.admin()).status()).isEqualTo(200);
            Http.Response restored = s.post("/api/v1/workflows/import", one.toString());
            assertThat(restored.status()).as(restored.body()).isEqualTo(200);
            assertThat(s.get("/api/v1/workflows/" + id).json().at("/folder/id").asText()).isEqualTo(a);

            // By path, when the id is another installation's; an unknown folder refuses the import.
            assertThat(s.http.delete("/api/v1/workflows/" + id, s.admin()).status()).isEqualTo(200);
            String byPath = one.toString().replace("\"id\":\"" + a + "\"", "\"id\":\"fld_elsewhere\"");
            assertThat(s.post("/api/v1/workflows/import", byPath).status()).isEqualTo(200);
            assertThat(s.get("/api/v1/workflows/" + id).json().at("/folder/id").asText()).isEqualTo(a);
            assertThat(s.http.delete("/api/v1/workflows/" + id, s.admin()).status()).isEqualTo(200);
            String nowhere = byPath.replace("\"path\":\"" + f.tree().path(a) + "\"", "\"path\":\"Default/Gone\"");
            assertError(s.post("/api/v1/workflows/import", nowhere), 400, "invalid_request", "workflows[0].folder");
            assertThat(s.get("/api/v1/workflows/" + id).status()).isEqualTo(404);
        }

        @Test
        void a_bulk_retry_retries_only_the_jobs_the_caller_may_retry() {
            Resources inA = f.resourcesIn(a);
            Resources inB = f.resourcesIn(b);
            Resources inC = f.resourcesIn(c);
            failAllPending();
            Map<String, String> caller = as(f.keyWith(new Binding("operator", a), new Binding("viewer", b)));

            JsonNode byIds = s.http.post(JOBS + "/retry", "{\"ids\":[\"" + inA.jobId() + "\",\"" + inB.jobId() + "\",\""
                    + inC.jobId() + "\"]}", caller).json();
            assertThat(byIds.get("retried").toString()).isEqualTo("[\"" + inA.jobId() + "\"]");
            assertThat(byIds.at("/skipped/0/id").asText()).isEqualTo(inB.jobId());
            assertThat(byIds.at("/skipped/0/reason").asText()).contains("job.retry");
            assertThat(byIds.at("/skipped/1/reason").asText()).isEqualTo("no such job");

            failAllPending();
            JsonNode byFilter = s.http.post(JOBS + "/retry", "{\"state\":\"failed\"}", caller).json();
            assertThat(byFilter.get("retried").toString()).isEqualTo("[\"" + inA.jobId() + "\"]");
            assertThat(s.job(inB.jobId()).get("state").asText()).isEqualTo("failed");
            assertThat(s.job(inC.jobId()).get("state").asText()).isEqualTo("failed");
        }

        @Test
        void a_batch_is_refused_whole_when_one_job_is_in_a_folder_where_the_caller_may_not_run() {
            Resources inA = f.resourcesIn(a);
            Resources inB = f.resourcesIn(b);
            Map<String, String> caller = as(f.keyWith(new Binding("operator", a), new Binding("viewer", b)));
            assertForbidden(s.http.post(JOBS + "/batch", "{\"jobs\":[{\"workflow_id\":\"" + inA.workflowId() + "\"},{\"workflow_id\":\""
                    + inB.workflowId() + "\"}]}", caller), "job.run", b);
            assertThat(JobApiServer.ids(s.get(JOBS + "?workflow_id=" + inA.workflowId()))).containsExactly(inA.jobId());
            Http.Response both = s.post(JOBS + "/batch", "{\"jobs\":[{\"workflow_id\":\"" + inA.workflowId() + "\"},{\"workflow_id\":\""
                    + inB.workflowId() + "\"}]}");
            assertThat(both.status()).as(both.body()).isEqualTo(201);
            List<String> batchEvents = new ArrayList<>();
            s.get("/api/v1/audit?action=job.submit_batch").json().get("items").forEach(e -> batchEvents.add(e.at("/folder/id").asText()));
            assertThat(batchEvents).contains(a, b);
        }

        @Test
        void a_folder_reference_that_names_no_folder_is_400_naming_folder_and_changes_nothing() {
            String name = "wf-" + UUID.randomUUID().toString().substring(0, 8);
            for (String hostile : List.of("/", "//", " ", "Default/..", "../" + a, "default", "Default/" + a, "fld_' OR '1'='1",
                    "%", "Default/é", "x".repeat(1000))) {
                Http.Response r = s.post("/api/v1/workflows", deploy(name, "\"folder\":" + Json.mapper().valueToTree(hostile)));
                assertError(r, 400, "invalid_request", "folder");
                if (!hostile.isBlank()) { // a blank filter is no filter, as q= and tag= are
                    assertError(s.get("/api/v1/jobs?folder=" + URLEncoder.encode(hostile, StandardCharsets.UTF_8)),
                            400, "invalid_request", "folder");
                }
            }
            assertError(s.post("/api/v1/workflows", deploy(name, "\"folder\":\"" + "x".repeat(1001) + "\"")), 400, "invalid_request",
                    "folder");
            assertThat(s.get("/api/v1/workflows/" + name).status()).isEqualTo(404);
            assertThat(s.post("/api/v1/workflows", deploy(name, "\"folder\":\"/Default/\"")).json().at("/folder/id").asText())
                    .as("slashes around a path are ignored").isEqualTo("root");
        }

        private String deploy(String name, String more) {
            return "{\"name\":\"" + name + "\",\"workflow_data\":" + Samples.chain(name, "a") + (more.isEmpty() ? "" : "," + more) + "}";
        }

        private void assertForbidden(Http.Response r, String permission, String folder) {
            JsonNode body = assertError(r, 403, "forbidden", null);
            assertThat(body.at("/error/details/required_permission").asText()).as(r.body()).isEqualTo(permission);
            assertThat(body.at("/error/details/folder_id").asText()).as(r.body()).isEqualTo(folder);
            assertThat(body.at("/error/message").asText()).contains(permission).contains(body.at("/error/details/folder_path").asText());
        }

        /** The answer about an invisible thing is the answer about an unknown one, but for the reference. */
        private void assertSameAsUnknown(Http.Response invisible, Http.Response unknown, String ref, String unknownRef) {
            assertThat(invisible.status()).as(invisible.body()).isEqualTo(unknown.status()).isIn(400, 404);
            assertThat(invisible.json().at("/error/message").asText().replace(ref, "<ref>"))
                    .isEqualTo(unknown.json().at("/error/message").asText().replace(unknownRef, "<ref>"));
            assertThat(invisible.json().at("/error/details").toString().replace(ref, "<ref>"))
                    .isEqualTo(unknown.json().at("/error/details").toString().replace(unknownRef, "<ref>"));
        }
    }
}
