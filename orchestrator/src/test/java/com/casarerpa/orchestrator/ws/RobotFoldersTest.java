package com.casarerpa.orchestrator.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
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
import org.junit.jupiter.params.Parameter;

/**
 * Robots serve folders (issue 13): a robot assigned to folder A runs the jobs of A and of the
 * folders below it, never another folder's, over WebSocket and over the REST claim; a robot
 * assigned to none serves the root, every folder. Folders and bindings are made in SQL here.
 */
class RobotFoldersTest {
    private static final String A = "fld_a";
    private static final String SUB = "fld_a_sub";
    private static final String B = "fld_b";

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path workDir;
        ChannelServer s;
        Http http;

        @BeforeEach
        void setUp() {
            s = database.isPostgres() ? ChannelServer.postgres(workDir) : ChannelServer.embedded(workDir);
            http = s.http;
            folder(A, "A", "root");
            folder(SUB, "Sub", A);
            folder(B, "B", "root");
            deployIn("InA", A);
            deployIn("InSub", SUB);
            deployIn("InB", B);
        }

        @AfterEach
        void tearDown() {
            s.close();
        }

        @Test
        void a_websocket_robot_of_folder_a_never_receives_b_jobs_while_a_root_robot_receives_them() {
            Http.Response key = http.post("/api/v1/api-keys", "{\"name\":\"Team A\",\"role\":\"robot\",\"folders\":[\"Default/A\"]}",
                    s.admin);
            assertThat(key.status()).as(key.body()).isEqualTo(201);
            assertThat(key.json().get("folders").toString()).isEqualTo("[\"" + A + "\"]");
            TestRobot teamA = s.track(TestRobot.connect(s.port(), key.json().get("key").asText()));
            assertThat(teamA.register(Json.mapper().createObjectNode().put("robot_id", "team-a").put("max_concurrent_jobs", 3))
                    .get("type").asText()).isEqualTo("registered");
            JsonNode view = http.get("/api/v1/robots/team-a", s.admin).json();
            assertThat(view.get("folders").toString()).as("a key's folders are the registering robot's")
                    .isEqualTo("[{\"id\":\"" + A + "\",\"path\":\"Default/A\"}]");

            String ofB = submit("InB", 20);
            String ofA = submit("InA", 10);
            String ofSub = submit("InSub", 10);
            assertThat(folderOf(ofB)).as("a job is in its workflow's folder").isEqualTo(B);
            assertThat(folderOf(ofSub)).isEqualTo(SUB);

            Set<String> got = new HashSet<>();
            got.add(teamA.next("job_assign").get("job_id").asText());
            got.add(teamA.next("job_assign").get("job_id").asText());
            assertThat(got).as("the jobs of A and of A/Sub, not B's though it came first and ranks higher")
                    .containsExactlyInAnyOrder(ofA, ofSub);
            await().atMost(Duration.ofSeconds(10)).until(() -> reason(ofB),
                    r -> r.equals("no online robot serves folder Default/B (1 robot online serves other folders)"));
            assertThat(state(ofB)).isEqualTo("pending");

            TestRobot everyFolder = s.robot();
            everyFolder.register(Json.mapper().createObjectNode().put("robot_id", "shared"));
            assertThat(everyFolder.next("job_assign").get("job_id").asText()).as("a robot of no folder serves the root").isEqualTo(ofB);
            assertThat(teamA.pending("job_assign")).as("team A's robot never got B's job").isEmpty();
        }

        @Test
        void the_rest_claim_takes_only_the_robots_folders_and_follows_a_new_assignment_at_the_next_claim() {
            Map<String, String> robotKey = Map.of("X-API-Key", s.robotKey);
            assertThat(http.post("/api/v1/robots/register", "{\"robot_id\":\"rest-bot\",\"name\":\"rest-bot\","
                    + "\"max_concurrent_jobs\":5}", robotKey).status()).isEqualTo(200);
            Http.Response assigned = http.put("/api/v1/robots/rest-bot/folders", "{\"folders\":[\"" + A + "\"]}", s.admin);
            assertThat(assigned.status()).as(assigned.body()).isEqualTo(200);
            assertThat(assigned.json().get("folders").toString()).isEqualTo("[{\"id\":\"" + A + "\",\"path\":\"Default/A\"}]");

            String ofB = submit("InB", 20);
            String ofA = submit("InA", 10);
            String claim = "{\"robot_id\":\"rest-bot\",\"limit\":5}";
            assertThat(claimedIds(http.post("/api/v1/jobs/claim", claim, robotKey))).containsExactly(ofA);
            assertThat(claimedIds(http.post("/api/v1/jobs/claim", claim, robotKey))).as("B's job is not for it").isEmpty();

            assertThat(http.put("/api/v1/robots/rest-bot/folders", "{\"folders\":[\"Default/B\"]}", s.admin).status()).isEqualTo(200);
            assertThat(http.get("/api/v1/robots/rest-bot/folders", s.admin).json().at("/folders/0/path").asText())
                    .isEqualTo("Default/B");
            assertThat(claimedIds(http.post("/api/v1/jobs/claim", claim, robotKey))).as("the next claim follows the assignment")
                    .containsExactly(ofB);
        }

        @Test
        void a_bad_assignment_is_refused_naming_the_field_and_changes_nothing() {
            http.post("/api/v1/robots/register", "{\"robot_id\":\"r1\",\"name\":\"r1\"}", Map.of("X-API-Key", s.robotKey));
            for (String body : List.of("{\"folders\":[\"Default/Nope\"]}", "{\"folders\":[]}", "{}", "{\"folders\":\"" + A + "\"}",
                    "{\"folders\":[\"" + A + "\"],\"extra\":1}")) {
                Http.Response refused = http.put("/api/v1/robots/r1/folders", body, s.admin);
                assertThat(refused.status()).as(body + " -> " + refused.body()).isEqualTo(400);
                assertThat(refused.body()).as(body).contains("folders");
            }
            assertThat(http.put("/api/v1/robots/nobody/folders", "{\"folders\":[\"" + A + "\"]}", s.admin).status()).isEqualTo(404);
            assertThat(http.put("/api/v1/robots/r1/folders", "{\"folders\":[\"" + A + "\"]}", Map.of("X-API-Key",
                    s.key("operator", "ops"))).status()).isEqualTo(403);
            assertThat(http.get("/api/v1/robots/r1", s.admin).json().get("folders").toString())
                    .isEqualTo("[{\"id\":\"root\",\"path\":\"Default\"}]");
            Http.Response notRobot = http.post("/api/v1/api-keys", "{\"name\":\"x\",\"role\":\"viewer\",\"folders\":[\"" + A + "\"]}",
                    s.admin);
            assertThat(notRobot.status()).isEqualTo(400);
            assertThat(notRobot.body()).contains("folders");
        }

        @Test
        void a_caller_sees_only_robots_that_serve_a_folder_it_reads() {
            Map<String, String> robotKey = Map.of("X-API-Key", s.robotKey);
            http.post("/api/v1/robots/register", "{\"robot_id\":\"of-a\",\"name\":\"of-a\"}", robotKey);
            http.post("/api/v1/robots/register", "{\"robot_id\":\"shared\",\"name\":\"shared\"}", robotKey);
            assertThat(http.put("/api/v1/robots/of-a/folders", "{\"folders\":[\"Default/A\"]}", s.admin).status()).isEqualTo(200);

            Map<String, String> viewerOfB = keyBoundIn("viewer", B);
            assertThat(robotIds(viewerOfB)).containsExactly("shared");
            assertThat(http.get("/api/v1/robots/of-a", viewerOfB).status()).as("a robot in an unseen folder").isEqualTo(404);
            assertThat(http.get("/api/v1/robots/shared", viewerOfB).status()).isEqualTo(200);

            Map<String, String> viewerOfSub = keyBoundIn("viewer", SUB);
            assertThat(robotIds(viewerOfSub)).as("A's robot serves A/Sub").containsExactlyInAnyOrder("of-a", "shared");

            Map<String, String> operatorOfA = keyBoundIn("operator", A);
            String on = "{\"enabled\":true}";
            assertThat(http.post("/api/v1/robots/of-a/maintenance", on, operatorOfA).status()).isEqualTo(200);
            assertThat(http.post("/api/v1/robots/shared/maintenance", on, operatorOfA).status())
                    .as("a robot shared by every folder is the root's to stop").isEqualTo(403);
            assertThat(http.post("/api/v1/robots/of-a/maintenance", on, keyBoundIn("operator", B)).status()).isEqualTo(404);
        }

        /** A key of a service account whose one binding (this role) is in {@code folder}. */
        private Map<String, String> keyBoundIn(String role, String folder) {
            Http.Response created = http.post("/api/v1/api-keys", "{\"name\":\"" + role + " of " + folder + "\",\"role\":\""
                    + role + "\"}", s.admin);
            String keyId = created.json().get("id").asText();
            s.sql().useHandle(h -> {
                h.createUpdate("DELETE FROM role_bindings WHERE principal_kind = 'service_account' AND principal_id ="
                        + " (SELECT owner_id FROM api_keys WHERE id = :key)").bind("key", keyId).execute();
                h.createUpdate("INSERT INTO role_bindings (id, principal_kind, principal_id, role_name, folder_id, created_at,"
                                + " created_by) SELECT 'rb_t_' || id, 'service_account', owner_id, :role, :folder, CURRENT_TIMESTAMP,"
                                + " 'test' FROM api_keys WHERE id = :key")
                        .bind("role", role).bind("folder", folder).bind("key", keyId).execute();
            });
            return Map.of("X-API-Key", created.json().get("key").asText());
        }

        private List<String> robotIds(Map<String, String> caller) {
            Http.Response listed = http.get("/api/v1/robots", caller);
            assertThat(listed.status()).as(listed.body()).isEqualTo(200);
            List<String> ids = new ArrayList<>();
            listed.json().get("items").forEach(r -> ids.add(r.get("id").asText()));
            return ids;
        }

        private void folder(String id, String name, String parent) {
            s.sql().useHandle(h -> h.createUpdate("INSERT INTO folders (id, name, parent_id, description, created_at, created_by)"
                    + " VALUES (:id, :name, :parent, '', CURRENT_TIMESTAMP, 'test')")
                    .bind("id", id).bind("name", name).bind("parent", parent).execute());
        }

        private void deployIn(String name, String folderId) {
            Http.Response deployed = http.post("/api/v1/workflows", "{\"name\":\"" + name + "\",\"workflow_data\":"
                    + Samples.chain(name, "hi") + "}", s.admin);
            assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
            s.sql().useHandle(h -> h.createUpdate("UPDATE workflows SET folder_id = :folder WHERE id = :id")
                    .bind("folder", folderId).bind("id", deployed.json().get("id").asText()).execute());
        }

        private String submit(String workflow, int priority) {
            Http.Response submitted = http.post("/api/v1/jobs", "{\"workflow_name\":\"" + workflow + "\",\"priority\":" + priority + "}",
                    s.admin);
            assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
            return submitted.json().get("id").asText();
        }

        private String folderOf(String job) {
            return s.sql().withHandle(h -> h.createQuery("SELECT folder_id FROM jobs WHERE id = :id").bind("id", job)
                    .mapTo(String.class).one());
        }

        private String reason(String job) {
            return http.get("/api/v1/jobs/" + job, s.admin).json().path("waiting_reason").asText();
        }

        private String state(String job) {
            return http.get("/api/v1/jobs/" + job, s.admin).json().get("state").asText();
        }

        /** The job ids of a REST claim's answer: one job, an array of them, or {@code null}. */
        private static List<String> claimedIds(Http.Response claimed) {
            assertThat(claimed.status()).as(claimed.body()).isEqualTo(200);
            JsonNode body = claimed.json();
            List<String> ids = new ArrayList<>();
            if (body.isArray()) {
                body.forEach(j -> ids.add(j.get("job_id").asText()));
            } else if (body.isObject()) {
                ids.add(body.get("job_id").asText());
            }
            return ids;
        }
    }
}
