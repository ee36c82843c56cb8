package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single submit takes its workflow from a cache that the job's own transaction checks, and its
 * key with its roles from one statement: a version deployed, or a key revoked, on one instance
 * counts at the very next submit on another (and on the same one), with the cache warm; and
 * the answer's folder path is read with the job.
 */
class SubmitCachingTest {
    @TempDir
    Path workA;

    @TempDir
    Path workB;

    @Test
    void on_the_embedded_database_a_new_version_and_a_revoked_key_count_at_the_next_submit() throws Exception {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workA)) {
            Map<String, String> admin = key(server.adminKey(workA));
            newVersionAndRevocationCountAtOnce(server.http(), server.http(), admin);
        }
    }

    @Test
    @Tag("ops")
    void two_instances_on_postgresql_see_each_others_deploys_and_revocations_at_the_next_submit() throws Exception {
        String db = TestPostgres.createMigratedDatabase();
        try (RunningOrchestrator a = RunningOrchestrator.postgresOn(workA, db);
                RunningOrchestrator b = RunningOrchestrator.postgresOn(workB, db)) {
            Map<String, String> admin = key(a.adminKey(workA));
            newVersionAndRevocationCountAtOnce(a.http(), b.http(), admin);
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }

    /** Deploys and revokes on {@code changes}; submits on {@code submits}, whose caches are warm by then. */
    private static void newVersionAndRevocationCountAtOnce(Http changes, Http submits, Map<String, String> admin) {
        String workflowId = deploy(changes, admin);
        JsonNode created = changes.post("/api/v1/api-keys", "{\"name\":\"submitter\",\"role\":\"operator\"}", admin).json();
        Map<String, String> operator = key(created.get("key").asText());
        String byId = "{\"workflow_id\":\"" + workflowId + "\"}";
        String byName = "{\"workflow_name\":\"cached\"}";
        for (int i = 0; i < 3; i++) {
            assertThat(submitted(submits, byId, operator).get("workflow_version").asInt()).isEqualTo(1);
            assertThat(submitted(submits, byName, operator).get("workflow_version").asInt()).isEqualTo(1);
        }

        assertThat(deploy(changes, admin)).isEqualTo(workflowId);
        assertThat(submitted(submits, byId, operator).get("workflow_version").asInt()).as("by id, at once").isEqualTo(2);
        assertThat(submitted(submits, byName, operator).get("workflow_version").asInt()).as("by name, at once").isEqualTo(2);
        assertThat(submitted(submits, byId, operator).get("workflow_version").asInt()).as("and after").isEqualTo(2);

        // The answer's folder path, read with the job: the root's name as it is now.
        assertThat(submitted(submits, byId, operator).get("folder").get("path").asText()).isEqualTo("Default");
        Http.Response renamed = changes.patch("/api/v1/folders/root", "{\"name\":\"Everything\"}", admin);
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(submitted(submits, byId, operator).get("folder").get("path").asText()).isEqualTo("Everything");

        assertThat(changes.delete("/api/v1/api-keys/" + created.get("id").asText(), admin).status()).isEqualTo(200);
        Http.Response refused = submits.post("/api/v1/jobs", byId, operator);
        assertThat(refused.status()).as("the revoked key at once: %s", refused.body()).isEqualTo(401);
        assertThat(submits.post("/api/v1/jobs", byName, operator).status()).isEqualTo(401);
    }

    private static String deploy(Http http, Map<String, String> admin) {
        Http.Response r = http.post("/api/v1/workflows", "{\"name\":\"cached\",\"workflow_data\":" + Samples.chain("cached", "a") + "}",
                admin);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private static JsonNode submitted(Http http, String body, Map<String, String> key) {
        Http.Response r = http.post("/api/v1/jobs", body, key);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private static Map<String, String> key(String plaintext) {
        return Map.of("X-API-Key", plaintext);
    }
}
