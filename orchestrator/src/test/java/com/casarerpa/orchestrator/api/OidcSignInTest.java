package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.Grants;
import com.casarerpa.orchestrator.domain.Permission;
import com.casarerpa.orchestrator.service.AccessControl;
import com.casarerpa.orchestrator.service.SingleSignOn;
import com.casarerpa.orchestrator.store.AccessStore;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.CookieBrowser;
import com.casarerpa.orchestrator.testing.CookieBrowser.Page;
import com.casarerpa.orchestrator.testing.LoopbackOidcProvider;
import com.casarerpa.orchestrator.testing.LoopbackOidcProvider.TestUser;
import com.casarerpa.orchestrator.testing.OnlyOn;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * Single sign-on end to end through the API, against an OpenID Connect provider on loopback
 * ({@link LoopbackOidcProvider}): a plain HTTP client follows every redirect by hand and keeps
 * the cookies, as a browser would, on H2 and on PostgreSQL.
 */
class OidcSignInTest {

    @Nested
    @BothDatabases
    class Flow {
        @Parameter
        TestDatabase database;
        @TempDir
        Path workDir;

        LoopbackOidcProvider provider;
        RunningOrchestrator server;
        Database side;
        Jdbi jdbi;
        CookieBrowser browser;

        @BeforeEach
        void start() {
            provider = LoopbackOidcProvider.start();
            server = start(Map.of());
            browser = new CookieBrowser();
        }

        RunningOrchestrator start(Map<String, String> extra) {
            Map<String, String> env = new HashMap<>(provider.env());
            env.put("CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "10000");
            env.putAll(extra);
            RunningOrchestrator s = database.isPostgres() ? RunningOrchestrator.postgres(workDir, env)
                    : RunningOrchestrator.embedded(workDir, env);
            provider.registerRedirectUri(s.url() + OidcRoutes.CALLBACK);
            side = Database.open(s.env().containsKey("DATABASE_URL") ? DatabaseUrl.parse(s.env().get("DATABASE_URL"))
                    : DatabaseUrl.embedded(workDir.resolve("data")), PoolSettings.forCommand());
            jdbi = Jdbi3.of(side);
            return s;
        }

        /** This test's server again, with more environment. */
        RunningOrchestrator restart(Map<String, String> extra) {
            server.close();
            side.close();
            return start(extra);
        }

        @AfterEach
        void stop() {
            side.close();
            server.close();
            provider.close();
        }

        Page login(String query) {
            Page login = browser.get(server.url() + OidcRoutes.LOGIN + query);
            assertThat(login.status()).as(login.body()).isEqualTo(302);
            return login;
        }

        /** Login, the provider, and the callback as the provider sent it: the callback's answer. */
        Page signIn(String query) {
            Page atProvider = browser.get(login(query).location());
            assertThat(atProvider.status()).as(atProvider.body()).isEqualTo(302);
            return browser.get(atProvider.location());
        }

        /** A sign-in for the API ({@code mode=token}): the callback answers the token JSON. */
        Page signIn() {
            return signIn("?mode=token");
        }

        String userIdOf(Page tokenAnswer) {
            assertThat(tokenAnswer.status()).as(tokenAnswer.body()).isEqualTo(200);
            return tokenAnswer.json().at("/user/id").asText();
        }

        List<String> auditActions(String userId) {
            return jdbi.withHandle(h -> h.createQuery("SELECT action FROM audit_events WHERE target_id = :id ORDER BY id")
                    .bind("id", userId).mapTo(String.class).list());
        }

        List<String> sessions(String userId) {
            return jdbi.withHandle(h -> h.createQuery("SELECT kind FROM user_sessions WHERE user_id = :id ORDER BY created_at")
                    .bind("id", userId).mapTo(String.class).list());
        }

        int users() {
            return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users").mapTo(Integer.class).one());
        }

        @Test
        void a_person_signs_in_through_the_provider_and_becomes_a_user_linked_by_subject() {
            Page login = login("?return_to=" + enc("/dashboard/jobs?state=failed"));
            URI authorize = login.location();
            assertThat(authorize.toString()).startsWith(provider.issuer() + "/authorize?");
            assertThat(login.setCookies()).singleElement().asString()
                    .startsWith(SingleSignOn.COOKIE_PREFIX).contains("HttpOnly").containsIgnoringCase("SameSite=Lax")
                    .contains("Path=" + OidcRoutes.BASE).doesNotContain("Secure");
            assertThat(login.headers().firstValue("Cache-Control")).contains("no-store");

            Page atProvider = browser.get(authorize);
            LoopbackOidcProvider.Authorization asked = provider.authorizations().getLast();
            assertThat(asked.challengeMethod()).isEqualTo("S256");
            assertThat(asked.state()).isNotBlank();
            assertThat(asked.nonce()).isNotBlank();
            assertThat(asked.scope()).isEqualTo("openid profile email");
            assertThat(asked.redirectUri()).hasToString(server.url() + OidcRoutes.CALLBACK);

            Page callback = browser.get(atProvider.location());
            assertThat(callback.status()).as(callback.body()).isEqualTo(200);
            assertThat(callback.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(callback.body()).contains("<meta http-equiv=\"refresh\" content=\"0;url=/dashboard/jobs?state=failed\">");
            assertThat(callback.setCookies()).anySatisfy(c -> assertThat(c).startsWith("casare_session=crps_")
                    .contains("HttpOnly", "SameSite=Strict", "Path=/"));
            assertThat(callback.setCookies()).anySatisfy(c -> assertThat(c).startsWith("casare_csrf=crpc_")
                    .contains("SameSite=Strict", "Path=/").doesNotContain("HttpOnly"));
            assertThat(browser.cookies()).as("the sign-in cookie is single use").containsOnlyKeys("casare_session", "casare_csrf");

            Page me = browser.get(server.url() + "/api/v1/auth/me");
            assertThat(me.status()).as(me.body()).isEqualTo(200);
            assertThat(me.json().get("kind").asText()).isEqualTo("user");
            assertThat(me.json().at("/user/username").asText()).isEqualTo("alice");
            String userId = me.json().at("/user/id").asText();
            assertThat(browser.get(server.url() + "/api/v1/auth/me").status()).as("a GET needs no CSRF token").isEqualTo(200);
            Map<String, Object> user = jdbi.withHandle(h -> h.createQuery("SELECT username, email, display_name, status,"
                    + " password_hash FROM users WHERE id = :id").bind("id", userId).mapToMap().one());
            assertThat(user).containsEntry("username", "alice").containsEntry("email", "alice@example.com")
                    .containsEntry("display_name", "Alice Example").containsEntry("status", "active")
                    .containsEntry("password_hash", null);
            Map<String, Object> identity = jdbi.withHandle(h -> h.createQuery("SELECT issuer, subject, email FROM user_identities"
                    + " WHERE user_id = :id").bind("id", userId).mapToMap().one());
            assertThat(identity).containsEntry("issuer", provider.issuer()).containsEntry("subject", "subject-alice")
                    .containsEntry("email", "alice@example.com");
            assertThat(auditActions(userId)).containsExactly("user.create", "user.login");
            assertThat(sessions(userId)).containsExactly("dashboard");
            assertThat(provider.tokenAuthMethods()).containsExactly("client_secret_basic");
        }

        @Test
        void the_dashboard_session_takes_unsafe_requests_with_the_token_of_its_csrf_cookie() {
            assertThat(signIn("?return_to=/").status()).isEqualTo(200);
            String cookie = "casare_session=" + browser.cookies().get("casare_session");
            com.casarerpa.orchestrator.testing.Http http = server.http();
            var withoutToken = http.post("/api/v1/auth/logout", "{}", Map.of("Cookie", cookie));
            assertThat(withoutToken.status()).as(withoutToken.body()).isEqualTo(403);
            assertThat(withoutToken.json().at("/error/code").asText()).isEqualTo("csrf_failed");
            var out = http.post("/api/v1/auth/logout", "{}", Map.of("Cookie", cookie + "; casare_csrf="
                    + browser.cookies().get("casare_csrf"), "X-CSRF-Token", browser.cookies().get("casare_csrf")));
            assertThat(out.status()).as(out.body()).isEqualTo(204);
            assertThat(out.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("casare_session=;"))
                    .anySatisfy(c -> assertThat(c).startsWith("casare_csrf=;"));
            assertThat(http.get("/api/v1/auth/me", Map.of("Cookie", cookie)).status()).isEqualTo(401);
        }

        @Test
        void mode_token_answers_as_a_password_sign_in_does_and_its_refresh_token_works() {
            Page answer = signIn();
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(answer.json().get("token_type").asText()).isEqualTo("bearer");
            assertThat(answer.json().get("expires_in").asLong()).isPositive();
            assertThat(answer.json().has("refresh_expires_at")).isTrue();
            assertThat(answer.json().at("/user/email").asText()).isEqualTo("alice@example.com");
            assertThat(answer.setCookies()).noneSatisfy(c -> assertThat(c).startsWith("casare_session"));
            var refreshed = server.http().post("/api/v1/auth/refresh", "{\"refresh_token\":\""
                    + answer.json().get("refresh_token").asText() + "\"}", Map.of());
            assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
            assertThat(server.http().get("/api/v1/auth/me", Map.of("Authorization", "Bearer "
                    + refreshed.json().get("access_token").asText())).status()).isEqualTo(200);
        }

        @Test
        void a_second_sign_in_of_the_same_subject_is_the_same_user() {
            String first = userIdOf(signIn());
            provider.signIn(new TestUser("subject-alice", "alice.renamed", "new@example.com", true, "Alice R", List.of()));
            Page again = signIn();
            assertThat(userIdOf(again)).isEqualTo(first);
            assertThat(again.json().at("/user/username").asText()).as("the username stays what it was made").isEqualTo("alice");
            assertThat(users()).isEqualTo(1);
            assertThat(auditActions(first)).containsExactly("user.create", "user.login", "user.login");
            assertThat(sessions(first)).containsExactly("api", "api");
            String email = jdbi.withHandle(h -> h.createQuery("SELECT email FROM user_identities WHERE user_id = :id")
                    .bind("id", first).mapTo(String.class).one());
            assertThat(email).as("the identity keeps the provider's latest email").isEqualTo("new@example.com");
        }

        @Test
        void a_local_user_with_the_same_email_and_username_is_not_linked() {
            jdbi.useHandle(h -> h.execute("INSERT INTO users (id, username, email, display_name, status, password_hash,"
                    + " created_at, created_by, updated_at) VALUES ('usr_local', 'alice', 'alice@example.com', 'Alice Local',"
                    + " 'active', 'x', CURRENT_TIMESTAMP, 'test', CURRENT_TIMESTAMP)"));
            Page signedIn = signIn();
            assertThat(userIdOf(signedIn)).isNotEqualTo("usr_local");
            assertThat(signedIn.json().at("/user/username").asText()).isEqualTo("alice-2");
            assertThat(sessions("usr_local")).isEmpty();
            int linked = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM user_identities WHERE user_id = 'usr_local'")
                    .mapTo(Integer.class).one());
            assertThat(linked).isZero();
        }

        @Test
        void a_callback_with_a_changed_state_is_refused_and_creates_nothing() {
            Page atProvider = browser.get(login("").location());
            URI callback = atProvider.location();
            Page refused = browser.get(callback.toString().replaceFirst("state=[^&]+", "state=forged-state"));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().at("/error/details/field").asText()).isEqualTo("state");
            assertThat(refused.json().at("/error/details/reason").asText()).isEqualTo("no_login_in_progress");
            assertThat(refused.json().at("/error/message").asText()).contains("/api/v1/auth/oidc/login");
            assertThat(users()).isZero();
        }

        @Test
        void a_sign_in_cookie_of_another_sign_in_does_not_match_the_state() {
            Page first = login("");
            String firstCookie = browser.cookies().values().iterator().next();
            browser.removeCookie(browser.cookies().keySet().iterator().next());
            Page second = browser.get(login("").location());
            String secondState = second.location().getQuery().replaceAll(".*state=([^&]+).*", "$1");
            // The first sign-in's sealed transaction presented as the second's.
            browser.setCookie(SingleSignOn.cookieName(secondState), firstCookie, OidcRoutes.BASE);
            Page refused = browser.get(second.location());
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.json().at("/error/details/reason").asText()).isEqualTo("state_mismatch");
            assertThat(first.status()).isEqualTo(302);
            assertThat(users()).isZero();
        }

        @Test
        void a_forged_sign_in_cookie_is_refused() {
            Page atProvider = browser.get(login("").location());
            String name = browser.cookies().keySet().iterator().next();
            String sealed = browser.cookies().get(name);
            browser.setCookie(name, sealed.substring(0, sealed.length() - 4) + "AAAA", OidcRoutes.BASE);
            Page refused = browser.get(atProvider.location());
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().at("/error/details/reason").asText()).isEqualTo("no_login_in_progress");
        }

        @Test
        void a_callback_taken_twice_is_refused_the_second_time() {
            Page atProvider = browser.get(login("?mode=token").location());
            String name = browser.cookies().keySet().iterator().next();
            String sealed = browser.cookies().get(name);
            assertThat(browser.get(atProvider.location()).status()).isEqualTo(200);
            browser.setCookie(name, sealed, OidcRoutes.BASE);
            Page replay = browser.get(atProvider.location());
            assertThat(replay.status()).isEqualTo(400);
            assertThat(replay.json().at("/error/details/reason").asText()).isEqualTo("state_used");
        }

        @Test
        void an_id_token_with_another_nonce_is_refused() {
            provider.overrideNonce(Optional.of("not-the-nonce-that-was-sent"));
            Page refused = signIn();
            assertThat(refused.status()).as(refused.body()).isEqualTo(401);
            assertThat(refused.json().at("/error/code").asText()).isEqualTo("unauthorized");
            assertThat(refused.json().at("/error/details/reason").asText()).isEqualTo("nonce_mismatch");
            assertThat(users()).isZero();
        }

        @Test
        void an_id_token_signed_by_a_key_the_provider_does_not_publish_is_refused() {
            provider.signWithForeignKey(true);
            Page refused = signIn();
            assertThat(refused.status()).as(refused.body()).isEqualTo(401);
            assertThat(refused.json().at("/error/details/reason").asText()).isEqualTo("id_token_invalid");
            assertThat(refused.json().at("/error/message").asText()).contains("did not verify");
            assertThat(users()).isZero();
        }

        @Test
        void a_code_verifier_the_provider_refuses_is_a_clear_error() {
            provider.loseChallenge(true);
            Page refused = signIn();
            assertThat(refused.status()).as(refused.body()).isEqualTo(401);
            assertThat(refused.json().at("/error/details/reason").asText()).isEqualTo("code_refused");
            assertThat(refused.json().at("/error/details/provider_error").asText()).isEqualTo("invalid_grant");
            assertThat(refused.json().at("/error/message").asText()).contains("PKCE verification failed");
            assertThat(users()).isZero();
        }

        @Test
        void a_refusal_by_the_provider_is_passed_on() {
            provider.deny(Optional.of("access_denied"));
            Page refused = signIn();
            assertThat(refused.status()).as(refused.body()).isEqualTo(401);
            assertThat(refused.json().at("/error/details/reason").asText()).isEqualTo("provider_error");
            assertThat(refused.json().at("/error/details/provider_error").asText()).isEqualTo("access_denied");
        }

        @Test
        void return_to_must_be_a_local_path() {
            for (String bad : List.of("https://evil.example/", "//evil.example/x", "/\\evil.example", "evil", "javascript:alert(1)",
                    "/ok\r\nSet-Cookie:x=y")) {
                Page refused = browser.get(server.url() + OidcRoutes.LOGIN + "?return_to=" + enc(bad));
                assertThat(refused.status()).as(bad).isEqualTo(400);
                assertThat(refused.json().at("/error/details/field").asText()).as(bad).isEqualTo("return_to");
                assertThat(refused.headers().firstValue("Location")).as(bad).isEmpty();
                assertThat(refused.setCookies()).as(bad).isEmpty();
            }
            assertThat(browser.get(server.url() + OidcRoutes.LOGIN + "?mode=cookie").json().at("/error/details/field").asText())
                    .isEqualTo("mode");
        }

        @Test
        void the_groups_claim_sets_the_users_sso_group_memberships_and_so_its_roles_per_folder() {
            jdbi.useHandle(h -> {
                h.execute("INSERT INTO folders (id, name, parent_id, description, created_at, created_by)"
                        + " VALUES ('fld_a', 'Team A', 'root', '', CURRENT_TIMESTAMP, 'test')");
                h.execute("INSERT INTO user_groups (id, name, description, external_name, created_at, created_by)"
                        + " VALUES ('grp_a', 'Team A developers', '', 'team-a-devs', CURRENT_TIMESTAMP, 'test')");
                h.execute("INSERT INTO user_groups (id, name, description, external_name, created_at, created_by)"
                        + " VALUES ('grp_local', 'Hand-made', '', NULL, CURRENT_TIMESTAMP, 'test')");
            });
            AccessStore access = new AccessStore(jdbi);
            access.insertBinding("rb_a", "group", "grp_a", "developer", "fld_a", Instant.now(), "test");
            access.insertBinding("rb_local", "group", "grp_local", "viewer", "root", Instant.now(), "test");
            AccessControl control = new AccessControl(access);

            provider.signIn(provider.user().withGroups("team-a-devs", "some-group-nobody-mapped"));
            String userId = userIdOf(signIn());
            Grants grants = control.grantsOf("user", userId);
            assertThat(grants.allows(Permission.WORKFLOW_DEPLOY, "fld_a")).isTrue();
            assertThat(grants.allows(Permission.WORKFLOW_DEPLOY, "root")).isFalse();
            assertThat(grants.allows(Permission.WORKFLOW_READ, "root")).isFalse();
            assertThat(memberships(userId)).containsExactly(Map.entry("grp_a", "oidc"));

            jdbi.useHandle(h -> h.execute("INSERT INTO user_group_members (group_id, user_id, source) VALUES ('grp_local', ?, 'local')",
                    userId));
            provider.signIn(provider.user().withGroups());
            assertThat(userIdOf(signIn())).isEqualTo(userId);
            assertThat(memberships(userId)).as("the claim no longer names team-a-devs; the local membership stays")
                    .containsExactly(Map.entry("grp_local", "local"));
            Grants after = control.grantsOf("user", userId);
            assertThat(after.allows(Permission.WORKFLOW_DEPLOY, "fld_a")).isFalse();
            assertThat(after.allows(Permission.WORKFLOW_READ, "fld_a")).isTrue();
            String details = jdbi.withHandle(h -> h.createQuery("SELECT details FROM audit_events WHERE target_id = :id"
                    + " AND action = 'user.login' ORDER BY id DESC").bind("id", userId).mapTo(String.class).first());
            assertThat(details).contains("groups_removed").contains("grp_a");
        }

        Map<String, String> memberships(String userId) {
            return jdbi.withHandle(h -> h.createQuery("SELECT group_id, source FROM user_group_members WHERE user_id = :id")
                    .bind("id", userId).setMapKeyColumn("group_id").setMapValueColumn("source")
                    .collectInto(new org.jdbi.v3.core.generic.GenericType<Map<String, String>>() {}));
        }

        @Test
        void a_disabled_user_is_refused() {
            String userId = userIdOf(signIn());
            jdbi.useHandle(h -> h.execute("UPDATE users SET status = 'disabled' WHERE id = ?", userId));
            Page refused = signIn();
            assertThat(refused.status()).as(refused.body()).isEqualTo(403);
            assertThat(refused.json().at("/error/details/reason").asText()).isEqualTo("user_disabled");
            assertThat(auditActions(userId)).containsExactly("user.create", "user.login");
            assertThat(sessions(userId)).as("no session for a refused sign-in").hasSize(1);
        }

        @Test
        void the_token_endpoint_gets_client_secret_post_when_the_provider_takes_only_that() {
            provider.acceptOnly(ClientAuthenticationMethod.CLIENT_SECRET_POST);
            server = restart(Map.of());
            assertThat(signIn().status()).isEqualTo(200);
            assertThat(provider.tokenAuthMethods()).containsExactly("client_secret_post");
        }

        @Test
        void without_automatic_users_an_unknown_identity_is_refused_until_an_admin_links_it() {
            server = restart(Map.of("CASARE_OIDC_AUTO_CREATE_USERS", "false"));
            Page refused = signIn();
            assertThat(refused.status()).as(refused.body()).isEqualTo(403);
            assertThat(refused.json().at("/error/details/reason").asText()).isEqualTo("not_linked");
            assertThat(users()).isZero();

            jdbi.useHandle(h -> h.execute("INSERT INTO users (id, username, email, display_name, status, created_at, created_by,"
                    + " updated_at) VALUES ('usr_bob', 'bob', NULL, 'Bob', 'active', CURRENT_TIMESTAMP, 'test', CURRENT_TIMESTAMP)"));
            com.casarerpa.orchestrator.testing.Http http = server.http();
            Map<String, String> admin = Map.of("X-API-Key", server.adminKey(workDir));
            String link = "{\"issuer\":\"" + provider.issuer() + "\",\"subject\":\"subject-alice\"}";
            var linked = http.post("/api/v1/users/usr_bob/identities", link, admin);
            assertThat(linked.status()).as(linked.body()).isEqualTo(201);
            assertThat(linked.json().get("user_id").asText()).isEqualTo("usr_bob");
            assertThat(http.post("/api/v1/users/usr_bob/identities", link, admin).status()).isEqualTo(409);
            assertThat(http.post("/api/v1/users/usr_nobody/identities", link, admin).status()).isEqualTo(404);
            assertThat(http.get("/api/v1/users/usr_bob/identities", admin).json().at("/items/0/subject").asText())
                    .isEqualTo("subject-alice");

            assertThat(userIdOf(signIn())).isEqualTo("usr_bob");
            assertThat(auditActions("usr_bob")).containsExactly("user.identity_link", "user.login");

            var unlinked = http.delete("/api/v1/users/usr_bob/identities?issuer=" + enc(provider.issuer()) + "&subject=subject-alice",
                    admin);
            assertThat(unlinked.status()).as(unlinked.body()).isEqualTo(204);
            assertThat(signIn().status()).isEqualTo(403);
        }

        @Test
        void the_sign_in_routes_are_limited_per_client_address() {
            server = restart(Map.of("CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "2"));
            assertThat(browser.get(server.url() + OidcRoutes.CALLBACK + "?state=x&code=y").status()).isEqualTo(400);
            assertThat(browser.get(server.url() + OidcRoutes.CALLBACK + "?state=x&code=y").status()).isEqualTo(400);
            Page limited = browser.get(server.url() + OidcRoutes.CALLBACK + "?state=x&code=y");
            assertThat(limited.status()).isEqualTo(429);
            assertThat(browser.get(server.url() + OidcRoutes.LOGIN).status()).isEqualTo(429);
        }

        @Test
        void the_status_route_says_sso_is_on_and_names_the_button() {
            var status = server.http().get(OidcRoutes.BASE);
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.json().get("enabled").asBoolean()).isTrue();
            assertThat(status.json().get("display_name").asText()).isEqualTo("Single sign-on");
            assertThat(status.json().get("login_url").asText()).isEqualTo(OidcRoutes.LOGIN);
        }

        @Test
        @OnlyOn(TestDatabase.POSTGRESQL)
        void a_callback_may_land_on_another_instance() throws java.io.IOException {
            java.nio.file.Files.createDirectories(workDir.resolve("other"));
            String db = server.env().get("DATABASE_URL").replaceAll(".*/([^/?]+).*", "$1");
            Map<String, String> env = new HashMap<>(provider.env());
            env.put("CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "10000");
            try (RunningOrchestrator other = RunningOrchestrator.postgresOn(workDir.resolve("other"), db, env)) {
                URI atProvider = browser.get(login("?mode=token").location()).location();
                URI onOther = URI.create(atProvider.toString().replace(server.url(), other.url()));
                // The provider redirects to the registered URI; a load balancer sends it to the other instance.
                Page callback = browser.get(onOther);
                assertThat(callback.status()).as(callback.body()).isEqualTo(200);
                assertThat(callback.json().at("/user/username").asText()).isEqualTo("alice");
                String token = callback.json().get("access_token").asText();
                assertThat(server.http().get("/api/v1/auth/me", Map.of("Authorization", "Bearer " + token)).json()
                        .at("/user/username").asText()).as("the token works on the first instance too").isEqualTo("alice");
            }
        }
    }

    @Test
    void without_an_issuer_sso_is_off(@TempDir Path workDir) {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir)) {
            var status = server.http().get(OidcRoutes.BASE);
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.json().get("enabled").asBoolean()).isFalse();
            assertThat(status.json().get("display_name").isNull()).isTrue();
            var login = server.http().get(OidcRoutes.LOGIN);
            assertThat(login.status()).isEqualTo(404);
            assertThat(login.json().at("/error/message").asText()).contains("oidc.issuer");
            assertThat(server.http().get(OidcRoutes.CALLBACK + "?state=a&code=b").status()).isEqualTo(404);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
