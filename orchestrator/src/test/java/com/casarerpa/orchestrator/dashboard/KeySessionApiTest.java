package com.casarerpa.orchestrator.dashboard;

import static com.casarerpa.orchestrator.testing.People.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.People;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.net.HttpCookie;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * The dashboard's sign-in with an API key (installations with no users yet): a cookie session
 * that belongs to the key, does what the key may, needs the CSRF token to change anything, and
 * ends at once when the key is revoked or the session signed out. The key itself never reaches
 * the browser again.
 */
@BothDatabases
class KeySessionApiTest {
    @Parameter
    TestDatabase database;
    @TempDir
    Path workDir;

    RunningOrchestrator server;
    Http http;
    String adminKey;

    @BeforeEach
    void start() {
        server = database.isPostgres() ? RunningOrchestrator.postgres(workDir, People.FAST_SIGN_IN)
                : RunningOrchestrator.embedded(workDir, People.FAST_SIGN_IN);
        http = server.http();
        adminKey = server.adminKey(workDir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_key_opens_a_cookie_session_that_acts_as_the_key_and_ends_when_the_key_is_revoked() {
        Http.Response viewerKey = http.post("/api/v1/api-keys", "{\"name\":\"wall screen\",\"role\":\"viewer\"}", bearer(adminKey));
        assertThat(viewerKey.status()).as(viewerKey.body()).isEqualTo(201);
        String key = viewerKey.json().get("key").asText();
        String keyId = viewerKey.json().get("id").asText();

        Http.Response in = http.post("/api/v1/auth/login", "{\"api_key\":\"" + key + "\"}", Map.of());
        assertThat(in.status()).as(in.body()).isEqualTo(200);
        assertThat(in.json().get("user").isNull()).isTrue();
        assertThat(in.header("Cache-Control")).isEqualTo("no-store");
        Map<String, String> cookies = cookies(in);
        assertThat(cookies).containsKeys("casare_session", "casare_csrf");
        assertThat(in.body()).doesNotContain(key);
        assertThat(in.headers().allValues("Set-Cookie")).filteredOn(c -> c.startsWith("casare_session="))
                .singleElement().satisfies(c -> assertThat(c).contains("HttpOnly").contains("SameSite=Strict"));
        Map<String, String> session = Map.of("Cookie", "casare_session=" + cookies.get("casare_session"));

        Http.Response me = http.get("/api/v1/auth/me", session);
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.json().get("kind").asText()).isEqualTo("api_key");
        assertThat(me.json().get("id").asText()).isEqualTo(keyId);
        assertThat(http.get("/api/v1/robots", session).status()).as("a viewer reads").isEqualTo(200);
        assertThat(http.post("/api/v1/api-keys", "{\"name\":\"x\",\"role\":\"viewer\"}", Map.of(
                "Cookie", "casare_session=" + cookies.get("casare_session"), "X-CSRF-Token", cookies.get("casare_csrf"))).status())
                .as("and may not do what the key may not").isEqualTo(403);

        assertThat(http.delete("/api/v1/api-keys/" + keyId, bearer(adminKey)).status()).isIn(200, 204);
        assertThat(http.get("/api/v1/auth/me", session).status()).as("revoking the key ends its sessions at once").isEqualTo(401);
    }

    @Test
    void signing_out_ends_a_key_session_and_a_write_needs_the_csrf_token() {
        Http.Response in = http.post("/api/v1/auth/login", "{\"api_key\":\"" + adminKey + "\",\"session\":\"cookie\"}", Map.of());
        assertThat(in.status()).as(in.body()).isEqualTo(200);
        Map<String, String> cookies = cookies(in);
        String cookie = "casare_session=" + cookies.get("casare_session");

        Http.Response noToken = http.post("/api/v1/auth/logout", "{}", Map.of("Cookie", cookie));
        assertThat(noToken.status()).isEqualTo(403);
        assertThat(noToken.json().at("/error/code").asText()).isEqualTo("csrf_failed");

        Http.Response out = http.post("/api/v1/auth/logout", "{}", Map.of("Cookie", cookie, "X-CSRF-Token", cookies.get("casare_csrf")));
        assertThat(out.status()).as(out.body()).isEqualTo(204);
        assertThat(http.get("/api/v1/auth/me", Map.of("Cookie", cookie)).status()).isEqualTo(401);
        assertThat(http.get("/api/v1/auth/me", bearer(adminKey)).status()).as("the key itself still works").isEqualTo(200);
    }

    @Test
    void bad_key_sign_ins_are_refused_naming_the_field_and_open_nothing() {
        Http.Response robotKey = http.post("/api/v1/api-keys", "{\"name\":\"r\",\"role\":\"robot\"}", bearer(adminKey));
        String robot = robotKey.json().get("key").asText();

        Http.Response byRobot = http.post("/api/v1/auth/login", "{\"api_key\":\"" + robot + "\"}", Map.of());
        assertThat(byRobot.status()).as(byRobot.body()).isEqualTo(403);
        assertThat(byRobot.headers().allValues("Set-Cookie")).isEmpty();

        Http.Response unknown = http.post("/api/v1/auth/login", "{\"api_key\":\"crpa_" + "x".repeat(43) + "\"}", Map.of());
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.headers().allValues("Set-Cookie")).isEmpty();

        for (var bad : List.of(
                List.of("{\"api_key\":\"" + adminKey + "\",\"session\":\"token\"}", "session"),
                List.of("{\"api_key\":\"" + adminKey + "\",\"username\":\"ann\"}", "username"),
                List.of("{\"api_key\":\"not-a-key\"}", "api_key"),
                List.of("{\"api_key\":42}", "api_key"))) {
            Http.Response r = http.post("/api/v1/auth/login", bad.get(0), Map.of());
            assertThat(r.status()).as(bad.get(0) + " -> " + r.body()).isEqualTo(400);
            assertThat(r.json().at("/error/details/field").asText()).isEqualTo(bad.get(1));
            assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        }
    }

    static Map<String, String> cookies(Http.Response r) {
        return r.headers().allValues("Set-Cookie").stream()
                .flatMap(h -> HttpCookie.parse(h).stream())
                .collect(java.util.stream.Collectors.toMap(HttpCookie::getName, HttpCookie::getValue, (a, b) -> b));
    }
}
