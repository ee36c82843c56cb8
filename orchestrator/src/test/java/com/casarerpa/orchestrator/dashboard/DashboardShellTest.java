package com.casarerpa.orchestrator.dashboard;

import static com.casarerpa.orchestrator.testing.People.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.DashboardBrowser;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.People;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's shell in a real browser: served at / with a strict Content-Security-Policy,
 * deep links, signing in with an API key and with a password, what a person's roles show, and
 * signing out.
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardShellTest {
    @TempDir
    static Path workDir;

    RunningOrchestrator server;
    Http http;
    String adminKey;

    @BeforeAll
    void start() {
        server = RunningOrchestrator.embedded(workDir, People.FAST_SIGN_IN);
        http = server.http();
        adminKey = server.adminKey(workDir);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void the_page_and_its_deep_links_are_served_with_a_policy_that_allows_no_inline_code() {
        for (String path : List.of("/", "/jobs/job_01abc", "/robots", "/workflows/wf_1")) {
            Http.Response page = http.get(path, Map.of("Accept", "text/html"));
            assertThat(page.status()).as(path).isEqualTo(200);
            assertThat(page.body()).contains("<script type=\"module\" src=\"/assets/app.js\">");
            String csp = page.header("Content-Security-Policy");
            assertThat(csp).contains("script-src 'self'").contains("style-src 'self'").contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
            assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        }
        assertThat(http.get("/assets/app.js").status()).isEqualTo(200);
        Http.Response unknown = http.get("/api/v1/no-such-route", Map.of("Accept", "text/html"));
        assertThat(unknown.status()).as("an unknown path is 404, credentials or not").isEqualTo(404);
        assertThat(unknown.body()).as("and no page").doesNotContain("<script");
        assertThat(http.get("/no-such-page").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/jobs", Map.of("Accept", "text/html")).status()).as("data still needs credentials").isEqualTo(401);
    }

    @Test
    void an_admin_signs_in_with_the_key_sees_every_page_and_signs_out() {
        try (DashboardBrowser ui = DashboardBrowser.open(server.url())) {
            ui.go("/robots");
            ui.waitFor("form");
            assertThat(ui.path()).startsWith("/signin?return_to=");
            ui.assertAccessible();
            ui.screenshots("signin");

            ui.click("button.link");
            ui.type("#api_key", adminKey);
            ui.click("form button[type=submit]");
            ui.waitFor("#sign-out");
            assertThat(ui.path()).as("back where it was going").isEqualTo("/robots");
            assertThat(ui.all("nav a")).extracting(e -> e.getText())
                    .contains("Overview", "Robots", "Jobs", "Workflows", "Schedules", "People", "API keys", "Audit trail");
            assertThat(ui.browser().driver().manage().getCookieNamed("casare_session").isHttpOnly()).isTrue();
            assertThat(ui.script("return localStorage.length + sessionStorage.length + document.cookie.indexOf('crpa_')"))
                    .as("the browser keeps no key").isEqualTo(-1L);

            ui.click("#sign-out");
            ui.waitFor("#username");
            ui.go("/robots");
            ui.waitFor("#username");
            ui.assertNoConsoleErrors();
        }
    }

    @Test
    void the_dark_theme_is_kept_and_passes_axe_and_the_pages_are_reached_by_keyboard() {
        try (DashboardBrowser ui = DashboardBrowser.open(server.url())) {
            ui.signInWithKey(adminKey);
            ui.waitFor("#theme-switch");
            ui.script("const s = document.querySelector('#theme-switch'); s.value = 'dark'; s.dispatchEvent(new Event('change'))");
            assertThat(ui.script("return document.documentElement.dataset.theme")).isEqualTo("dark");
            ui.go("/robots");
            ui.waitFor("#sign-out");
            assertThat(ui.script("return document.documentElement.dataset.theme")).as("the choice is kept").isEqualTo("dark");
            ui.assertAccessible();
            ui.screenshots("robots-dark");
            ui.go("/");
            ui.waitFor("#queue-depth");
            ui.assertAccessible();
            ui.screenshots("overview-dark");

            // From the top of a fresh page: the first Tab reaches the skip link, Enter moves to the page.
            ui.go("/");
            ui.waitFor("#queue-depth");
            org.openqa.selenium.interactions.Actions keys = new org.openqa.selenium.interactions.Actions(ui.browser().driver());
            keys.sendKeys(org.openqa.selenium.Keys.TAB).perform();
            assertThat(ui.script("return document.activeElement.className")).isEqualTo("skip");
            // The side bar's links are reached by Tab and followed by Enter, focus landing on the new page.
            int tabs = 0;
            while (!"Jobs".equals(ui.script("return document.activeElement.textContent")) && tabs++ < 30) {
                keys.sendKeys(org.openqa.selenium.Keys.TAB).perform();
            }
            assertThat(tabs).as("the Jobs link within 30 tabs").isLessThan(30);
            keys.sendKeys(org.openqa.selenium.Keys.ENTER).perform();
            DashboardBrowser.eventually(() -> ui.path().equals("/jobs"));
            DashboardBrowser.eventually(() -> "main".equals(ui.script("return document.activeElement.id")));
            ui.script("localStorage.removeItem('casare.theme')");
            ui.assertNoConsoleErrors();
        }
    }

    @Test
    void a_viewer_sees_the_pages_it_may_read_and_no_administration() {
        People people = new People(http, adminKey);
        String id = people.create("vera");
        Http.Response bound = http.post("/api/v1/folders/root/bindings",
                "{\"principal\":{\"kind\":\"user\",\"id\":\"" + id + "\"},\"role\":\"viewer\"}", bearer(adminKey));
        assertThat(bound.status()).as(bound.body()).isEqualTo(201);
        try (DashboardBrowser ui = DashboardBrowser.open(server.url())) {
            ui.signIn("vera", People.PASSWORD);
            assertThat(ui.all("nav a")).extracting(e -> e.getText()).contains("Overview", "Robots", "Jobs")
                    .doesNotContain("People", "API keys", "Groups");
            assertThat(ui.find("header").getText()).contains("vera");
        }
    }

    @Test
    void a_wrong_password_is_said_next_to_the_form_and_nothing_is_stored() {
        try (DashboardBrowser ui = DashboardBrowser.open(server.url())) {
            ui.go("/");
            ui.type("#username", "nobody");
            ui.type("#password", "wrong password");
            ui.click("form button[type=submit]");
            ui.waitForText("[role=alert]", "sign-in refused");
            assertThat(ui.browser().driver().manage().getCookieNamed("casare_session")).isNull();
        }
    }
}
