package com.casarerpa.orchestrator.api;

import static com.casarerpa.orchestrator.testing.People.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.store.AccessStore;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.MutableClock;
import com.casarerpa.orchestrator.testing.People;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** People's sign-in through a real server, on PostgreSQL and H2, with a clock the test moves. */
class SignInApiTest {
    @TempDir
    Path dir;

    @Test
    void sign_in_attempts_are_limited_per_client_address() {
        Map<String, String> env = new HashMap<>(People.FAST_SIGN_IN);
        env.put("CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "3");
        try (RunningOrchestrator server = RunningOrchestrator.embedded(dir, env)) {
            People people = new People(server.http(), server.adminKey(dir));
            people.create("olga");
            int attempts = 0;
            Http.Response r;
            do {
                r = people.login("olga", "guess " + attempts++);
            } while (r.status() == 401 && attempts < 10);

            assertThat(r.status()).as("attempt " + attempts).isEqualTo(429);
            assertThat(attempts).isLessThanOrEqualTo(4);
            assertThat(r.header("Retry-After")).isNotBlank();
            assertThat(people.login("olga", People.PASSWORD).status()).as("the right password too, from here").isEqualTo(429);
        }
    }

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path workDir;

        final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
        RunningOrchestrator server;
        Http http;
        People people;
        String adminKey;

        @BeforeEach
        void start() {
            server = database.isPostgres() ? RunningOrchestrator.postgres(workDir, People.FAST_SIGN_IN, clock)
                    : RunningOrchestrator.embedded(workDir, People.FAST_SIGN_IN, clock);
            http = server.http();
            adminKey = server.adminKey(workDir);
            people = new People(http, adminKey);
        }

        @AfterEach
        void stop() {
            server.close();
        }

        @Test
        void a_password_sign_in_answers_the_token_shape_and_the_token_names_the_user() {
            String id = people.create("Alice");

            Http.Response r = people.signIn("alice");

            JsonNode body = r.json();
            assertThat(body.get("token_type").asText()).isEqualTo("bearer");
            assertThat(body.get("expires_in").asLong()).isEqualTo(15 * 60);
            assertThat(body.get("refresh_token").asText()).startsWith("crpr_");
            assertThat(body.at("/user/username").asText()).isEqualTo("alice");
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
            Http.Response me = http.get("/api/v1/auth/me", bearer(body.get("access_token").asText()));
            assertThat(me.status()).as(me.body()).isEqualTo(200);
            assertThat(me.json().get("kind").asText()).isEqualTo("user");
            assertThat(me.json().get("id").asText()).isEqualTo(id);
            assertThat(me.json().get("folders")).isEmpty();
            // No role yet: signed in, but no route of a permission lets it through.
            assertThat(http.get("/api/v1/workflows", bearer(body.get("access_token").asText())).status()).isEqualTo(403);
            JsonNode login = people.admin("GET", "/api/v1/audit?action=user.login", null).json().get("items").get(0);
            assertThat(login.get("actor_kind").asText()).isEqualTo("user");
            assertThat(login.get("actor_id").asText()).isEqualTo(id);
        }

        @Test
        void a_wrong_password_an_unknown_user_and_a_disabled_one_get_the_same_401() {
            String id = people.create("bob");
            people.admin("POST", "/api/v1/users/" + people.create("carol") + "/disable", null);

            Http.Response wrong = people.login("bob", "not the password");
            Http.Response unknown = people.login("nobody", People.PASSWORD);
            Http.Response disabled = people.login("carol", People.PASSWORD);

            for (Http.Response r : List.of(wrong, unknown, disabled)) {
                assertThat(r.status()).isEqualTo(401);
                assertThat(r.json().at("/error/message").asText()).isEqualTo(wrong.json().at("/error/message").asText());
            }
            assertThat(people.admin("GET", "/api/v1/users/" + id, null).json().get("status").asText()).isEqualTo("active");
        }

        @Test
        void the_fifth_failure_locks_the_account_until_the_lockout_ends_and_a_success_resets_the_count() {
            people.create("dave");
            for (int i = 0; i < 4; i++) {
                assertThat(people.login("dave", "wrong password " + i).status()).isEqualTo(401);
            }
            people.signIn("dave"); // the fifth attempt succeeds: the count starts again
            for (int i = 0; i < 5; i++) {
                assertThat(people.login("dave", "wrong password " + i).status()).isEqualTo(401);
            }

            Http.Response locked = people.login("dave", People.PASSWORD);
            assertThat(locked.status()).isEqualTo(401);
            assertThat(locked.json().at("/error/message").asText())
                    .isEqualTo(people.login("nobody", "x").json().at("/error/message").asText());
            JsonNode listed = people.admin("GET", "/api/v1/users", null).json().get("items").get(0);
            assertThat(Instant.parse(listed.get("locked_until").asText())).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));

            clock.advance(Duration.ofMinutes(14));
            assertThat(people.login("dave", People.PASSWORD).status()).isEqualTo(401);
            clock.advance(Duration.ofMinutes(1));
            people.signIn("dave");
            assertThat(people.admin("GET", "/api/v1/audit?action=user.lock", null).json().get("items")).hasSize(1);
        }

        @Test
        void a_refresh_rotates_the_refresh_token_and_the_old_one_fails() {
            people.create("erin");
            JsonNode first = people.signIn("erin").json();

            clock.advance(Duration.ofMinutes(16)); // the access token has expired
            String expired = first.get("access_token").asText();
            Http.Response late = http.get("/api/v1/auth/me", bearer(expired));
            assertThat(late.status()).isEqualTo(401);
            assertThat(late.json().at("/error/message").asText()).contains("expired");

            Http.Response refreshed = refresh(first.get("refresh_token").asText());
            assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
            assertThat(refreshed.json().get("refresh_token").asText()).isNotEqualTo(first.get("refresh_token").asText());
            assertThat(http.get("/api/v1/auth/me", bearer(refreshed.json().get("access_token").asText())).status()).isEqualTo(200);

            assertThat(refresh(first.get("refresh_token").asText()).status()).isEqualTo(401);
            assertThat(refresh(refreshed.json().get("refresh_token").asText()).status()).isEqualTo(200);
        }

        @Test
        void a_role_given_after_sign_in_shows_in_me_after_a_refresh_and_at_once() {
            String id = people.create("frank");
            JsonNode tokens = people.signIn("frank").json();
            String access = tokens.get("access_token").asText();
            assertThat(http.get("/api/v1/workflows", bearer(access)).status()).isEqualTo(403);

            bind(id, "viewer");

            // Read again at every request: the same token already has it.
            assertThat(http.get("/api/v1/workflows", bearer(access)).status()).isEqualTo(200);
            String renewed = refresh(tokens.get("refresh_token").asText()).json().get("access_token").asText();
            JsonNode folders = http.get("/api/v1/auth/me", bearer(renewed)).json().get("folders");
            assertThat(folders).hasSize(1);
            assertThat(folders.get(0).get("folder_id").asText()).isEqualTo("root");
            List<String> permissions = new ArrayList<>();
            folders.get(0).get("permissions").forEach(p -> permissions.add(p.asText()));
            assertThat(permissions).contains("workflow.read", "job.read").doesNotContain("job.run", "user.manage");
        }

        @Test
        void disabling_a_user_refuses_its_access_token_and_refresh_token_at_once() {
            String id = people.create("grace");
            bind(id, "viewer");
            JsonNode tokens = people.signIn("grace").json();
            String access = tokens.get("access_token").asText();
            assertThat(http.get("/api/v1/workflows", bearer(access)).status()).isEqualTo(200);

            Http.Response disabled = people.admin("POST", "/api/v1/users/" + id + "/disable", null);
            assertThat(disabled.json().get("status").asText()).isEqualTo("disabled");

            assertThat(http.get("/api/v1/workflows", bearer(access)).status()).isEqualTo(401);
            assertThat(refresh(tokens.get("refresh_token").asText()).status()).isEqualTo(401);
            people.admin("POST", "/api/v1/users/" + id + "/enable", null);
            // Enabling does not bring the ended sessions back; signing in again works.
            assertThat(http.get("/api/v1/workflows", bearer(access)).status()).isEqualTo(401);
            people.signIn("grace");
        }

        @Test
        void logout_ends_the_session_of_the_token_and_of_the_refresh_token() {
            people.create("heidi");
            JsonNode tokens = people.signIn("heidi").json();
            String access = tokens.get("access_token").asText();

            assertThat(http.post("/api/v1/auth/logout", "", bearer(access)).status()).isEqualTo(204);

            assertThat(http.get("/api/v1/auth/me", bearer(access)).status()).isEqualTo(401);
            assertThat(refresh(tokens.get("refresh_token").asText()).status()).isEqualTo(401);
            assertThat(http.post("/api/v1/auth/logout", "", Map.of()).status()).isEqualTo(401);
            Http.Response byKey = http.post("/api/v1/auth/logout", "", bearer(adminKey));
            assertThat(byKey.status()).isEqualTo(400);
            assertThat(byKey.json().at("/error/details/field").asText()).isEqualTo("refresh_token");
        }

        @Test
        void a_cookie_session_needs_its_csrf_token_on_unsafe_methods() {
            people.create("ivan");
            Http.Response signedIn = http.post("/api/v1/auth/login",
                    "{\"username\":\"ivan\",\"password\":\"" + People.PASSWORD + "\",\"session\":\"cookie\"}", Map.of());
            assertThat(signedIn.status()).as(signedIn.body()).isEqualTo(200);
            String setCookie = signedIn.header("Set-Cookie");
            assertThat(setCookie).startsWith("casare_session=crps_").contains("HttpOnly", "SameSite=Strict", "Path=/")
                    .doesNotContain("Secure");
            assertThat(signedIn.json().has("access_token")).isFalse();
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));
            String csrf = signedIn.json().get("csrf_token").asText();
            // The same token in a cookie the dashboard's scripts read, as after a single sign-on.
            assertThat(signedIn.headers().allValues("Set-Cookie")).hasSize(2).last().asString()
                    .startsWith("casare_csrf=" + csrf + ";").contains("SameSite=Strict", "Path=/", "Max-Age=43200")
                    .doesNotContain("HttpOnly", "Secure");
            assertThat(csrf).startsWith("crpc_");

            assertThat(http.get("/api/v1/auth/me", Map.of("Cookie", cookie)).status()).isEqualTo(200);
            Http.Response none = http.post("/api/v1/auth/logout", "", Map.of("Cookie", cookie));
            assertThat(none.status()).isEqualTo(403);
            assertThat(none.json().at("/error/code").asText()).isEqualTo("csrf_failed");
            assertThat(http.post("/api/v1/auth/logout", "", Map.of("Cookie", cookie, "X-CSRF-Token", csrf + "x")).status())
                    .isEqualTo(403);
            assertThat(http.get("/api/v1/auth/me", Map.of("Cookie", cookie)).status()).isEqualTo(200);

            Http.Response out = http.post("/api/v1/auth/logout", "", Map.of("Cookie", cookie + "; casare_csrf=" + csrf,
                    "X-CSRF-Token", csrf));
            assertThat(out.status()).isEqualTo(204);
            assertThat(out.headers().allValues("Set-Cookie")).satisfiesExactly(
                    c -> assertThat(c).startsWith("casare_session=;").contains("Max-Age=0"),
                    c -> assertThat(c).startsWith("casare_csrf=;").contains("Max-Age=0"));
            assertThat(http.get("/api/v1/auth/me", Map.of("Cookie", cookie)).status()).isEqualTo(401);
        }

        @Test
        void a_clients_own_forwarded_proto_does_not_make_the_cookie_secure_and_a_header_credential_wins_over_it() {
            people.create("judy");
            Http.Response signedIn = http.post("/api/v1/auth/login",
                    "{\"username\":\"judy\",\"password\":\"" + People.PASSWORD + "\",\"session\":\"cookie\"}",
                    Map.of("X-Forwarded-Proto", "https"));
            // Only a trusted proxy's word counts (TrustedProxiesTest); this peer is none.
            assertThat(signedIn.headers().allValues("Set-Cookie")).hasSize(2).noneSatisfy(c -> assertThat(c).contains("; Secure"));
            String cookie = signedIn.header("Set-Cookie").split(";")[0];
            Map<String, String> both = new HashMap<>(bearer("crpa_not-a-real-key"));
            both.put("Cookie", cookie);
            assertThat(http.get("/api/v1/auth/me", both).status()).isEqualTo(401);
        }

        @Test
        void a_set_password_token_works_once_and_a_short_password_is_refused_without_using_it() {
            Http.Response created = people.admin("POST", "/api/v1/users", "{\"username\":\"kim\",\"email\":\"kim@example.com\"}");
            String token = created.json().at("/set_password/token").asText();

            Http.Response tooShort = people.setPassword(token, "short");
            assertThat(tooShort.status()).isEqualTo(400);
            assertThat(tooShort.json().at("/error/details/field").asText()).isEqualTo("password");
            assertThat(people.setPassword(token, People.PASSWORD).status()).isEqualTo(200);
            assertThat(people.setPassword(token, People.PASSWORD + "2").status()).isEqualTo(401);
            people.signIn("kim");

            String id = created.json().at("/user/id").asText();
            String reset = people.admin("POST", "/api/v1/users/" + id + "/reset-password", null).json().get("token").asText();
            clock.advance(Duration.ofHours(25));
            assertThat(people.setPassword(reset, "another long password").status()).isEqualTo(401);
        }

        @Test
        void admins_manage_users_and_others_may_not() {
            Http.Response created = people.admin("POST", "/api/v1/users",
                    "{\"username\":\"Liam\",\"email\":\"liam@example.com\",\"display_name\":\"Liam Smith\"}");
            assertThat(created.status()).isEqualTo(201);
            String id = created.json().at("/user/id").asText();
            assertThat(created.json().at("/user/username").asText()).isEqualTo("liam");

            assertThat(people.admin("POST", "/api/v1/users", "{\"username\":\"LIAM\"}").status()).isEqualTo(409);
            Http.Response bad = people.admin("POST", "/api/v1/users", "{\"username\":\"no spaces allowed\"}");
            assertThat(bad.json().at("/error/details/field").asText()).isEqualTo("username");
            Http.Response badMail = people.admin("PATCH", "/api/v1/users/" + id, "{\"email\":\"nope\"}");
            assertThat(badMail.json().at("/error/details/field").asText()).isEqualTo("email");
            Http.Response patched = people.admin("PATCH", "/api/v1/users/" + id, "{\"email\":null,\"display_name\":\"L. Smith\"}");
            assertThat(patched.json().get("email").isNull()).isTrue();
            assertThat(patched.json().get("display_name").asText()).isEqualTo("L. Smith");
            assertThat(people.admin("GET", "/api/v1/users/usr_nope", null).status()).isEqualTo(404);

            String viewer = http.post("/api/v1/api-keys", "{\"name\":\"v\",\"role\":\"viewer\"}", bearer(adminKey))
                    .json().get("key").asText();
            assertThat(http.get("/api/v1/users", bearer(viewer)).status()).isEqualTo(403);
            assertThat(http.get("/api/v1/auth/me", bearer(viewer)).json().get("kind").asText()).isEqualTo("api_key");
        }

        @Test
        void the_robot_channel_refuses_a_person_even_an_admin() {
            String id = people.create("mallory");
            bind(id, "admin");
            String access = people.signIn("mallory").json().get("access_token").asText();
            assertThat(http.get("/api/v1/users", bearer(access)).status()).isEqualTo(200);

            assertThat(handshake(access)).isEqualTo(403);
        }

        private int handshake(String credential) {
            try (HttpClient client = HttpClient.newHttpClient()) {
                WebSocket ws = client.newWebSocketBuilder().header("Authorization", "Bearer " + credential)
                        .buildAsync(URI.create("ws://127.0.0.1:" + server.orchestrator().port() + "/ws/robots"),
                                new WebSocket.Listener() { })
                        .join();
                ws.abort();
                return 101;
            } catch (CompletionException e) {
                if (e.getCause() instanceof WebSocketHandshakeException h) {
                    return h.getResponse().statusCode();
                }
                throw e;
            }
        }

        private Http.Response refresh(String refreshToken) {
            return http.post("/api/v1/auth/refresh", "{\"refresh_token\":\"" + refreshToken + "\"}", Map.of());
        }

        /** Binds the user to a role at the root, as the folders' routes will. */
        private void bind(String userId, String role) {
            DatabaseUrl url = database.isPostgres() ? DatabaseUrl.parse(server.env().get("DATABASE_URL"))
                    : DatabaseUrl.embedded(workDir.resolve("data"));
            try (Database db = Database.open(url, PoolSettings.forCommand())) {
                new AccessStore(Jdbi3.of(db)).insertBinding("rb_" + role + "_" + userId, "user", userId, role, "root",
                        Instant.now(), "test");
            }
        }
    }
}
