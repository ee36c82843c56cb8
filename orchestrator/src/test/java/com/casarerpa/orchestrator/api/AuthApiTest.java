package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.OnlyOn;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** API keys, tokens and roles through a real server, on H2 and on PostgreSQL. */
class AuthApiTest {

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path workDir;

        RunningOrchestrator server;
        Http http;
        String adminKey;

        RunningOrchestrator start() {
            return database.isPostgres() ? RunningOrchestrator.postgres(workDir) : RunningOrchestrator.embedded(workDir);
        }

        @BeforeEach
        void startServer() {
            server = start();
            http = server.http();
            adminKey = server.orchestrator().bootstrapKey().orElseGet(() -> {
                CliHarness.Result r = CliHarness.orchestrator(server.env(), workDir, "create-api-key", "--name", "Admin Key",
                        "--role", "admin", "--json");
                assertThat(r.exitCode()).as(r.toString()).isZero();
                return json(r.out()).get("key").asText();
            });
        }

        @AfterEach
        void stopServer() {
            server.close();
        }

        static JsonNode json(String text) {
            try {
                return com.casarerpa.common.json.Json.mapper().readTree(text);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }

        Map<String, String> bearer(String credential) {
            return Map.of("Authorization", "Bearer " + credential);
        }

        String createKey(String role) {
            Http.Response r = http.post("/api/v1/api-keys", "{\"name\":\"" + role + " key\",\"role\":\"" + role + "\"}", bearer(adminKey));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            return r.json().get("key").asText();
        }

        @Test
        void a_route_without_credentials_is_401_with_the_error_body() {
            Http.Response r = http.get("/api/v1/api-keys");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(r.json().at("/error/code").asText()).isEqualTo("unauthorized");
            assertThat(r.json().at("/error/message").asText()).contains("X-API-Key");
            assertThat(r.json().get("request_id").asText()).isEqualTo(r.header("X-Request-ID"));
        }

        @Test
        void an_unknown_key_or_garbage_token_is_401() {
            assertThat(http.get("/api/v1/api-keys", bearer("crpa_not-a-real-key")).status()).isEqualTo(401);
            assertThat(http.get("/api/v1/api-keys", bearer("garbage")).status()).isEqualTo(401);
            assertThat(http.get("/api/v1/api-keys", Map.of("X-API-Key", "crpa_nope")).status()).isEqualTo(401);
        }

        @Test
        void both_headers_carry_a_key() {
            assertThat(http.get("/api/v1/api-keys", bearer(adminKey)).status()).isEqualTo(200);
            assertThat(http.get("/api/v1/api-keys", Map.of("X-API-Key", adminKey)).status()).isEqualTo(200);
        }

        @Test
        void health_and_ready_need_no_credentials() {
            assertThat(http.get("/health").status()).isEqualTo(200);
            assertThat(http.get("/ready").status()).isEqualTo(200);
        }

        @Test
        void a_created_key_is_shown_once_and_listed_without_its_text() {
            Http.Response created = http.post("/api/v1/api-keys",
                    "{\"name\":\"Robot Production 1\",\"role\":\"robot\",\"robot_id\":\"robot-vm-1\"}", bearer(adminKey));
            assertThat(created.status()).isEqualTo(201);
            String key = created.json().get("key").asText();
            String id = created.json().get("id").asText();
            assertThat(key).startsWith("crpa_");

            Http.Response list = http.get("/api/v1/api-keys", bearer(adminKey));
            assertThat(list.body()).doesNotContain(key).contains(id).contains("Robot Production 1");
            JsonNode shown = http.get("/api/v1/api-keys/" + id, bearer(adminKey)).json();
            assertThat(shown.get("role").asText()).isEqualTo("robot");
            assertThat(shown.get("robot_id").asText()).isEqualTo("robot-vm-1");
            assertThat(shown.get("status").asText()).isEqualTo("active");
            assertThat(shown.has("key")).isFalse();
        }

        @Test
        void bad_create_requests_name_the_field_and_change_nothing() {
            int before = http.get("/api/v1/api-keys", bearer(adminKey)).json().get("items").size();
            Http.Response badRole = http.post("/api/v1/api-keys", "{\"name\":\"x\",\"role\":\"root\"}", bearer(adminKey));
            assertThat(badRole.status()).isEqualTo(400);
            assertThat(badRole.json().at("/error/details/field").asText()).isEqualTo("role");
            Http.Response noName = http.post("/api/v1/api-keys", "{\"role\":\"viewer\"}", bearer(adminKey));
            assertThat(noName.json().at("/error/details/field").asText()).isEqualTo("name");
            Http.Response badJson = http.post("/api/v1/api-keys", "{nope", bearer(adminKey));
            assertThat(badJson.status()).isEqualTo(400);
            assertThat(badJson.json().at("/error/details/field").asText()).isEqualTo("body");
            Http.Response badExpiry = http.post("/api/v1/api-keys", "{\"name\":\"x\",\"role\":\"viewer\",\"expires_at\":\"tomorrow\"}", bearer(adminKey));
            assertThat(badExpiry.json().at("/error/details/field").asText()).isEqualTo("expires_at");
            assertThat(http.get("/api/v1/api-keys", bearer(adminKey)).json().get("items").size()).isEqualTo(before);
        }

        @Test
        void a_key_is_exchanged_for_a_jwt_that_works_until_the_key_is_revoked() {
            String operator = createKey("operator");
            Http.Response token = http.post("/api/v1/auth/token", "{\"api_key\":\"" + operator + "\"}", Map.of());
            assertThat(token.status()).as(token.body()).isEqualTo(200);
            assertThat(token.json().get("token_type").asText()).isEqualTo("bearer");
            assertThat(token.json().get("expires_in").asLong()).isBetween(23 * 3600L, 24 * 3600L);
            String jwt = token.json().get("access_token").asText();

            Http.Response viaHeader = http.post("/api/v1/auth/token", "", Map.of("X-API-Key", createKey("viewer")));
            assertThat(viaHeader.status()).isEqualTo(200);

            String adminJwt = http.post("/api/v1/auth/token", "{\"api_key\":\"" + adminKey + "\"}", Map.of())
                    .json().get("access_token").asText();
            assertThat(http.get("/api/v1/api-keys", bearer(adminJwt)).status()).isEqualTo(200);
            // the operator's token is a real credential: authenticated, but not an admin
            assertThat(http.get("/api/v1/api-keys", bearer(jwt)).status()).isEqualTo(403);

            String operatorId = idOfKey(operator);
            assertThat(http.delete("/api/v1/api-keys/" + operatorId, bearer(adminKey)).status()).isEqualTo(200);
            Http.Response afterRevoke = http.get("/api/v1/api-keys", bearer(jwt));
            assertThat(afterRevoke.status()).isEqualTo(401);
            assertThat(afterRevoke.json().at("/error/message").asText()).contains("revoked");
            assertThat(http.get("/api/v1/api-keys", bearer(operator)).status()).isEqualTo(401);
        }

        @Test
        void a_token_is_not_exchanged_for_another_token_and_a_bad_key_gets_401() {
            String jwt = http.post("/api/v1/auth/token", "{\"api_key\":\"" + adminKey + "\"}", Map.of()).json().get("access_token").asText();
            assertThat(http.post("/api/v1/auth/token", "{\"api_key\":\"" + jwt + "\"}", Map.of()).status()).isEqualTo(400);
            assertThat(http.post("/api/v1/auth/token", "{\"api_key\":\"crpa_wrong\"}", Map.of()).status()).isEqualTo(401);
            assertThat(http.post("/api/v1/auth/token", "{}", Map.of()).status()).isEqualTo(401);
        }

        @Test
        void writes_are_in_the_audit_trail_which_only_admins_read() {
            String viewer = createKey("viewer");
            Http.Response audit = http.get("/api/v1/audit?action=api_key.create&limit=1", bearer(adminKey));
            assertThat(audit.status()).isEqualTo(200);
            JsonNode newest = audit.json().get("items").get(0);
            assertThat(newest.get("action").asText()).isEqualTo("api_key.create");
            assertThat(newest.get("details").get("name").asText()).isEqualTo("viewer key");
            assertThat(newest.get("actor_kind").asText()).isIn("api_key", "cli");
            assertThat(newest.get("request_id").asText()).isNotBlank();
            assertThat(audit.json().get("next_cursor").isNull()).isFalse();

            String cursor = audit.json().get("next_cursor").asText();
            Http.Response next = http.get("/api/v1/audit?action=api_key.create&limit=1&cursor=" + cursor, bearer(adminKey));
            assertThat(next.json().get("items").get(0).get("id").asLong()).isLessThan(newest.get("id").asLong());

            assertThat(http.get("/api/v1/audit", bearer(viewer)).status()).isEqualTo(403);
            assertThat(http.get("/api/v1/audit?since=yesterday", bearer(adminKey)).json().at("/error/details/field").asText())
                    .isEqualTo("since");
            assertThat(http.get("/api/v1/audit?cursor=garbage", bearer(adminKey)).json().at("/error/details/field").asText())
                    .isEqualTo("cursor");
        }

        private String idOfKey(String key) {
            String prefix = key.substring(0, 12);
            for (JsonNode k : http.get("/api/v1/api-keys", bearer(adminKey)).json().get("items")) {
                if (k.get("prefix").asText().equals(prefix)) {
                    return k.get("id").asText();
                }
            }
            throw new AssertionError("no key with prefix " + prefix);
        }

        @Test
        @OnlyOn(TestDatabase.POSTGRESQL)
        void production_makes_no_key_by_itself() {
            assertThat(server.orchestrator().bootstrapKey()).isEmpty();
        }

        @Test
        @OnlyOn(TestDatabase.H2)
        void the_quick_start_made_exactly_one_admin_key_and_a_restart_makes_none() {
            assertThat(server.orchestrator().bootstrapKey()).isPresent();
            server.close();
            server = RunningOrchestrator.embedded(workDir);
            assertThat(server.orchestrator().bootstrapKey()).isEmpty();
            http = server.http();
            assertThat(http.get("/api/v1/api-keys", bearer(adminKey)).status()).isEqualTo(200);
        }
    }
}
