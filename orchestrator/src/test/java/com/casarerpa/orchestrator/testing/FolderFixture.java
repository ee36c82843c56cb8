package com.casarerpa.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.Folder;
import com.casarerpa.orchestrator.domain.FolderTree;
import com.casarerpa.orchestrator.domain.Grants;
import com.casarerpa.orchestrator.domain.RoleDefinition;
import com.casarerpa.orchestrator.store.AccessStore;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Folders, callers bound to roles in them, and resources in them, on a {@link JobApiServer}: the
 * folders and bindings are written with SQL (as {@code folders create} and {@code bind} will),
 * the resources through the API as the admin. A caller is an API key of a service account whose
 * only bindings are the ones asked for.
 */
public final class FolderFixture {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final JobApiServer s;
    private final AccessStore access;

    public FolderFixture(JobApiServer s) {
        this.s = s;
        this.access = new AccessStore(s.jdbi);
    }

    /** A new folder below {@code parentId}; returns its id. */
    public String folder(String name, String parentId) {
        String id = "fld_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        s.jdbi.useHandle(h -> h.createUpdate("INSERT INTO folders (id, name, parent_id, description, created_at, created_by)"
                        + " VALUES (:id, :name, :parent, '', :at, 'test')")
                .bind("id", id).bind("name", name).bind("parent", parentId).bind("at", Jdbi3.ts(Instant.now()))
                .execute());
        return id;
    }

    /** One binding asked of {@link #keyWith}: {@code role} in {@code folderId}. */
    public record Binding(String role, String folderId) {}

    /** The key of a new service account bound exactly to {@code bindings}. */
    public String keyWith(Binding... bindings) {
        Http.Response r = s.post("/api/v1/api-keys", "{\"name\":\"folder caller " + NEXT.incrementAndGet() + "\",\"role\":\"viewer\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String keyId = r.json().get("id").asText();
        String account = s.jdbi.withHandle(h -> h.createQuery("SELECT owner_id FROM api_keys WHERE id = :id")
                .bind("id", keyId).mapTo(String.class).one());
        s.jdbi.useHandle(h -> h.createUpdate("DELETE FROM role_bindings WHERE principal_kind = 'service_account'"
                + " AND principal_id = :account").bind("account", account).execute());
        for (Binding b : bindings) {
            access.insertBinding("rb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20), "service_account",
                    account, b.role(), b.folderId(), Instant.now(), "test");
        }
        return r.json().get("key").asText();
    }

    /** What {@code bindings} grant, as the server resolves them (for expectations). */
    public Grants grantsOf(Binding... bindings) {
        List<Grants.Held> held = new ArrayList<>();
        for (Binding b : bindings) {
            held.add(new Grants.Held(RoleDefinition.builtInRole(b.role()).orElseThrow().permissions(), b.folderId()));
        }
        return Grants.resolve(held, tree());
    }

    public FolderTree tree() {
        return new FolderTree(access.folders());
    }

    public static Map<String, String> as(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }

    /**
     * A workflow with a job, a schedule and a webhook, all in one folder, a robot assigned to that
     * folder alone, and a binding of the folder (of the group {@link #groupOf} names, viewer),
     * made by the admin.
     */
    public record Resources(String folderId, String workflowId, String workflowName, String jobId, String scheduleId,
            String webhookId, String robotId, String bindingId) {}

    /** Ids no resource has, the folder's too, for comparing the answers to unknown and to invisible resources. */
    public static Resources unknown() {
        return new Resources("fld_unknown000000", "wf_unknown0000000", "no-such-workflow", "job_unknown00000000000000000000",
                "sch_unknown000000", "wh_unknown0000000", "robot-unknown", "rb_unknown0000000");
    }

    /** The name of the group bound in the folder of {@code r}. */
    public static String groupOf(Resources r) {
        return r.workflowName() + "-g";
    }

    public Resources resourcesIn(String folderId) {
        String name = "wf-" + NEXT.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6);
        String workflowId = created(s.post("/api/v1/workflows", "{\"name\":\"" + name + "\",\"folder\":\"" + folderId
                + "\",\"workflow_data\":" + Samples.chain(name, "a") + "}")).get("id").asText();
        String jobId = created(s.post("/api/v1/jobs", "{\"workflow_id\":\"" + workflowId + "\"}")).get("id").asText();
        jobInFolder(jobId, folderId);
        String scheduleId = created(s.post("/api/v1/schedules", "{\"name\":\"" + name + "-s\",\"workflow_id\":\"" + workflowId
                + "\",\"cron\":\"0 0 1 1 *\"}")).get("id").asText();
        String webhookId = created(s.post("/api/v1/webhooks", "{\"name\":\"" + name + "-h\",\"workflow_id\":\"" + workflowId
                + "\",\"auth_mode\":\"key\"}")).get("id").asText();
        String robotId = "robot-" + name;
        String robotKey = created(s.post("/api/v1/api-keys", "{\"name\":\"" + robotId + "\",\"role\":\"robot\",\"robot_id\":\""
                + robotId + "\"}")).get("key").asText();
        Http.Response registered = s.http.post("/api/v1/robots/register", "{\"robot_id\":\"" + robotId + "\"}", as(robotKey));
        assertThat(registered.status()).as(registered.body()).isEqualTo(200);
        Http.Response assigned = s.http.put("/api/v1/robots/" + robotId + "/folders", "{\"folders\":[\"" + folderId + "\"]}", s.admin());
        assertThat(assigned.status()).as(assigned.body()).isEqualTo(200);
        String groupId = created(s.post("/api/v1/groups", "{\"name\":\"" + name + "-g\"}")).get("id").asText();
        String bindingId = created(s.post("/api/v1/folders/" + folderId + "/bindings", "{\"principal\":{\"kind\":\"group\",\"id\":\""
                + groupId + "\"},\"role\":\"viewer\"}")).get("id").asText();
        return new Resources(folderId, workflowId, name, jobId, scheduleId, webhookId, robotId, bindingId);
    }

    /**
     * Puts a job in the folder of its workflow, where the robots' change of the job insert puts it
     * by itself (a no-op once it has).
     */
    public void jobInFolder(String jobId, String folderId) {
        s.jdbi.useHandle(h -> h.createUpdate("UPDATE jobs SET folder_id = :folder WHERE id = :id")
                .bind("folder", folderId).bind("id", jobId).execute());
    }

    private static JsonNode created(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    /** The root folder, for {@link #folder}'s parent. */
    public static final String ROOT = Folder.ROOT_ID;

    /** The id of {@code path}'s folder, as the tree has it now; empty when there is none. */
    public Optional<String> idOf(String path) {
        FolderTree tree = tree();
        return tree.all().stream().map(Folder::id).filter(id -> tree.path(id).equals(path)).findFirst();
    }
}
