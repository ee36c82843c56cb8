package com.casarerpa.orchestrator.dashboard;

import static com.casarerpa.orchestrator.testing.People.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.DashboardBrowser;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.People;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;

/**
 * The administration pages in a real browser, driven by an admin who is a person: people (a new
 * user's set-password token shown once, a duplicate username refused next to its field, disabling
 * a signed-in user ends their session), folders and their role bindings (the new user sees the
 * folder they were given; a folder admin sees only their folder's bindings), groups, API keys and
 * service accounts (a key shown once; revoking it ends the session signed in with it; personal
 * tokens), and the audit trail with the client address of each change. A viewer sees none of
 * these pages and the API refuses them. The tests run in order: the audit trail lists what the
 * earlier ones did.
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminPagesTest {
    @TempDir
    static Path workDir;

    RunningOrchestrator server;
    Http http;
    String adminKey;
    People people;
    DashboardBrowser admin;
    final Map<String, Long> timeToShow = new LinkedHashMap<>();

    @BeforeAll
    void start() {
        server = RunningOrchestrator.embedded(workDir, People.FAST_SIGN_IN);
        http = server.http();
        adminKey = server.adminKey(workDir);
        people = new People(http, adminKey);
        String adaId = people.create("ada");
        bind("root", "user", adaId, "admin");
        admin = DashboardBrowser.open(server.url());
        admin.signIn("ada", People.PASSWORD);
    }

    @AfterAll
    void stop() {
        System.out.println("Time to show (ms): " + timeToShow);
        if (admin != null) {
            admin.close();
        }
        server.close();
    }

    @Test
    @Order(1)
    void a_new_user_gets_a_token_once_a_role_in_a_new_folder_sees_it_and_is_signed_out_when_disabled() {
        admin.go("/people");
        admin.waitFor("tr[data-key=ada]");
        admin.click("#new-user");
        admin.type("#f-username", "olga");
        admin.type("#f-display_name", "Olga Ops");
        admin.type("#f-email", "olga@example.com");
        admin.click("dialog button[type=submit]");
        String token = admin.waitFor("#secret-once").getDomProperty("value");
        assertThat(token).startsWith("crpw_");
        assertThat(admin.find("dialog").getText()).contains("Store it now").contains("shown only this once");
        assertThat(keptAnywhere(admin, token)).as("the token is kept nowhere but the dialog").isFalse();
        shots(admin, "people-token-once");
        admin.assertAccessible();
        admin.click("#secret-done");
        admin.waitFor("tr[data-key=olga]");
        assertThat(admin.present("#secret-once")).isFalse();
        assertThat(String.valueOf(admin.script("return document.documentElement.outerHTML"))).doesNotContain(token);
        assertThat(admin.find("tr[data-key=olga]").getText()).contains("Olga Ops").contains("olga@example.com").contains("never");

        // A folder for Olga, her role there, and a subfolder of it: all through the folders page.
        admin.go("/folders");
        admin.waitForText("#folder-title", "Default");
        admin.click("#new-subfolder");
        admin.type("#f-name", "Ops");
        admin.type("#f-description", "The operations team");
        admin.click("dialog button[type=submit]");
        admin.waitForText("#folder-title", "Default/Ops");
        admin.click("#add-binding");
        choose(admin, "#f-kind", "user");
        admin.type("#f-name", "olga");
        choose(admin, "#f-role", "operator");
        admin.click("dialog button[type=submit]");
        admin.waitForText("#bindings table", "olga");
        assertThat(admin.find("#bindings table").getText()).contains("operator").contains("this folder");
        admin.click("#new-subfolder");
        admin.type("#f-name", "Night");
        admin.click("dialog button[type=submit]");
        admin.waitForText("#folder-title", "Default/Ops/Night");
        admin.waitForText("#bindings table", "from Default/Ops");

        // The tree by keyboard: up to Ops, Enter shows it.
        admin.find("[role=treeitem][aria-selected=true]").sendKeys(Keys.ARROW_UP);
        DashboardBrowser.eventually(() -> "Ops".equals(admin.script(
                "return document.activeElement.querySelector('.tree-name').textContent")));
        admin.browser().driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        admin.waitForText("#folder-title", "Default/Ops");
        admin.assertAccessible();
        noConsoleErrors(admin);
        shots(admin, "folders");

        // Olga sets her password with the token and sees her folders in the switcher.
        assertThat(people.setPassword(token, People.PASSWORD).status()).isEqualTo(200);
        try (DashboardBrowser olga = DashboardBrowser.open(server.url())) {
            olga.signIn("olga", People.PASSWORD);
            assertThat(olga.all("#folder-switch option")).extracting(e -> e.getText())
                    .contains("Default/Ops", "Default/Ops/Night").doesNotContain("Default");
            assertThat(olga.all("nav a")).extracting(e -> e.getText()).doesNotContain("People", "Folders", "API keys");

            // Disabling her ends her session at once: her next request shows the sign-in page.
            admin.go("/people");
            admin.click("tr[data-key=olga] [data-action=disable]");
            admin.clickText("dialog", "Disable");
            admin.waitForText(".page-notice", "olga disabled");
            admin.waitForText("tr[data-key=olga]", "disabled");
            olga.click("nav a[href='/robots']");
            olga.waitFor("#username");
            assertThat(olga.path()).startsWith("/signin");
        }
        noConsoleErrors(admin);
    }

    @Test
    @Order(2)
    void a_duplicate_username_is_refused_next_to_the_field_and_the_dialog_keeps_what_was_typed() {
        admin.go("/people");
        admin.waitFor("tr[data-key=olga]");
        admin.click("#new-user");
        admin.type("#f-username", "olga");
        admin.type("#f-display_name", "Another Olga");
        admin.click("dialog button[type=submit]");
        admin.waitForText("dialog #err-username", "exists already");
        assertThat(admin.find("#f-username").getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(admin.find("#f-display_name").getDomProperty("value")).as("what was typed stays").isEqualTo("Another Olga");
        assertThat(admin.present("#secret-once")).isFalse();
        shots(admin, "people-duplicate");
        admin.assertAccessible();
        admin.browser().consoleErrors(); // the browser's own line for the refused request (409)
        admin.clickText("dialog", "Cancel");
        assertThat(admin.all("tr[data-key=olga]")).hasSize(1);
        assertThat(people.admin("GET", "/api/v1/users", null).body()).doesNotContain("Another Olga");
    }

    @Test
    @Order(3)
    void a_key_is_shown_once_and_revoking_it_ends_the_session_signed_in_with_it() {
        admin.go("/keys");
        admin.waitFor("#new-key");
        admin.click("#new-key");
        admin.type("#f-name", "wall screen");
        choose(admin, "#f-role", "viewer");
        admin.click("dialog button[type=submit]");
        String key = admin.waitFor("#secret-once").getDomProperty("value");
        assertThat(key).startsWith("crpa_");
        assertThat(admin.find("dialog").getText()).contains("Store it now");
        assertThat(keptAnywhere(admin, key)).isFalse();
        admin.click("#secret-done");
        admin.waitForText("#main", "wall screen");
        assertThat(String.valueOf(admin.script("return document.documentElement.outerHTML"))).doesNotContain(key);
        String keyId = idOfKey("wall screen");
        assertThat(admin.find("tr[data-key='" + keyId + "']").getText()).contains("viewer").contains("never").contains("active");

        try (DashboardBrowser wall = DashboardBrowser.open(server.url())) {
            wall.signInWithKey(key);
            admin.click("tr[data-key='" + keyId + "'] [data-action=revoke]");
            admin.clickText("dialog", "Revoke");
            admin.waitForText(".page-notice", "wall screen revoked");
            wall.click("nav a[href='/robots']");
            try {
                wall.waitFor("#api_key, #username");
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("not signed out: " + wall.path() + "\n" + wall.find("body").getText() + "\n"
                        + wall.browser().consoleErrors(), e);
            }
            assertThat(wall.path()).startsWith("/signin");
        }
        assertThat(http.get("/api/v1/robots", bearer(key)).status()).isEqualTo(401);
        noConsoleErrors(admin);
    }

    @Test
    @Order(4)
    void service_accounts_get_keys_shown_once_and_a_person_makes_and_revokes_personal_tokens() {
        admin.go("/keys");
        admin.click("#new-account");
        admin.type("#f-name", "ci");
        admin.type("#f-description", "The release pipeline");
        admin.click("dialog button[type=submit]");
        admin.waitFor("[data-account=ci]");
        admin.click("[data-account=ci] [data-action=account-key]");
        admin.type("#f-name", "pipeline");
        admin.click("dialog button[type=submit]");
        String saKey = admin.waitFor("#secret-once").getDomProperty("value");
        assertThat(saKey).startsWith("crpa_");
        admin.click("#secret-done");
        admin.waitForText("[data-account=ci]", "pipeline");
        assertThat(admin.find("#main").getText()).contains("service account ci");

        admin.click("#new-token");
        admin.type("#f-name", "nightly report");
        choose(admin, "#f-role", "viewer");
        admin.type("#f-expires_in_days", "7");
        admin.click("dialog button[type=submit]");
        String token = admin.waitFor("#secret-once").getDomProperty("value");
        assertThat(token).startsWith("crpa_");
        assertThat(http.get("/api/v1/robots", bearer(token)).status()).isEqualTo(200);
        admin.click("#secret-done");
        admin.waitForText("#personal-tokens", "nightly report");
        shots(admin, "keys");
        admin.assertAccessible();
        admin.click("#personal-tokens [data-action=revoke]");
        admin.clickText("dialog", "Revoke");
        admin.waitForText(".page-notice", "nightly report revoked");
        admin.waitForText("#personal-tokens", "You have no personal tokens");
        assertThat(http.get("/api/v1/robots", bearer(token)).status()).isEqualTo(401);
        noConsoleErrors(admin);
    }

    @Test
    @Order(5)
    void groups_are_made_with_an_external_name_and_members() {
        admin.go("/groups");
        admin.click("#new-group");
        admin.type("#f-name", "Finance operators");
        admin.type("#f-external_name", "finance-ops");
        admin.click("dialog button[type=submit]");
        admin.waitFor("[data-group='Finance operators']");
        admin.click("[data-group='Finance operators'] [data-action=add-member]");
        choose(admin, "#f-user", idOfUser("ada"));
        admin.click("dialog button[type=submit]");
        admin.waitForText("[data-group='Finance operators']", "ada");
        assertThat(admin.find("[data-group='Finance operators']").getText()).contains("SSO: finance-ops");
        shots(admin, "groups");
        admin.assertAccessible();
        noConsoleErrors(admin);
        admin.go("/people");
        admin.waitForText("tr[data-key=ada]", "Finance operators");
    }

    @Test
    @Order(6)
    void a_folder_admin_sees_only_their_folders_bindings() {
        String finance = createFolder("Finance");
        String hr = createFolder("HR");
        String franId = people.create("fran");
        String hugoId = people.create("hugo");
        bind(finance, "user", franId, "folder_admin");
        bind(hr, "user", hugoId, "viewer");
        try (DashboardBrowser fran = DashboardBrowser.open(server.url())) {
            fran.signIn("fran", People.PASSWORD);
            assertThat(fran.all("nav a")).extracting(e -> e.getText()).contains("Folders", "Audit trail")
                    .doesNotContain("People", "Groups", "API keys");
            fran.go("/folders");
            fran.waitForText("#folder-title", "Default/Finance");
            fran.waitForText("#bindings table", "fran");
            assertThat(fran.find("#bindings table").getText()).as("Finance's own bindings and those it inherits from the root, not HR's")
                    .contains("folder_admin").contains("from Default").doesNotContain("hugo");
            assertThat(fran.all(".tree-name")).extracting(e -> e.getText()).contains("Default", "Finance").doesNotContain("HR", "Ops");
            assertThat(fran.find("[data-folder-id=root]").getDomAttribute("aria-disabled")).isEqualTo("true");
            assertThat(fran.present("#folder-detail [data-action=delete]")).as("deleting Finance needs the root").isFalse();
            shots(fran, "folders-folder-admin");
            fran.assertAccessible();
            noConsoleErrors(fran);

            String franToken = people.signIn("fran").json().get("access_token").asText();
            assertThat(http.get("/api/v1/folders/" + hr + "/bindings", bearer(franToken)).status()).isEqualTo(404);
            assertThat(http.get("/api/v1/folders/root/bindings", bearer(franToken)).status())
                    .as("the root is only drawn above Finance: fran does not see it").isEqualTo(404);
            assertThat(http.get("/api/v1/folders/" + finance + "/bindings", bearer(franToken)).status()).isEqualTo(200);

            fran.go("/audit");
            fran.waitFor("#main table");
            assertThat(fran.find("#main table").getText()).contains("binding.create").contains("Finance")
                    .doesNotContain("HR").doesNotContain("user.create");
            noConsoleErrors(fran);
        }
    }

    @Test
    @Order(7)
    void deleting_a_folder_that_is_not_empty_shows_the_servers_refusal() {
        admin.go("/folders?id=" + idOfFolder("Default/Ops"));
        admin.waitForText("#folder-title", "Default/Ops");
        admin.click("#folder-detail [data-action=delete]");
        admin.clickText("dialog", "Delete");
        admin.waitForText(".page-notice", "not empty");
        assertThat(admin.find(".page-notice").getText()).contains("Default/Ops was not deleted").contains("subfolder");
        admin.browser().consoleErrors(); // the browser's own line for the refused request (409)
        assertThat(idOfFolder("Default/Ops")).isNotEmpty();
    }

    @Test
    @Order(8)
    void the_audit_trail_lists_those_changes_with_the_client_address() {
        admin.go("/audit");
        admin.waitFor("#main table");
        String all = admin.find("#main table").getText();
        assertThat(all).contains("user.create", "folder.create", "binding.create", "user.disable", "api_key.create", "api_key.revoke",
                "service_account.create", "group.create");
        admin.type("#audit-action", "user.disable");
        admin.waitForText("#main table", "user.disable");
        DashboardBrowser.eventually(() -> admin.all("#main tbody tr").size() == 1);
        String row = admin.find("#main tbody tr").getText();
        assertThat(row).contains("ada").contains("127.0.0.1").contains("installation");
        admin.click("#main tbody tr details summary");
        admin.waitForText("#main tbody tr details pre", "olga");
        shots(admin, "audit");
        admin.assertAccessible();
        noConsoleErrors(admin);

        admin.type("#audit-action", "folder.create");
        DashboardBrowser.eventually(() -> admin.find("#main table").getText().contains("Default/Ops"));
        assertThat(admin.find("#main table").getText()).doesNotContain("user.disable");

        // By resource: a type the server refuses is named next to its field; then one folder's events.
        admin.go("/audit");
        admin.waitFor("#main table");
        admin.type("#audit-target_type", "Folder");
        admin.waitForText("#err-target_type", "lower-case letters and underscores");
        assertThat(admin.find("#audit-target_type").getAttribute("aria-invalid")).isEqualTo("true");
        admin.browser().consoleErrors(); // the browser's own line for the refused request (400)
        String ops = idOfFolder("Default/Ops");
        admin.type("#audit-target_type", "folder");
        admin.type("#audit-target_id", ops);
        // The rows read in one script: the live feed may redraw the table between two WebDriver calls.
        DashboardBrowser.eventually(() -> {
            List<?> rows = (List<?>) admin.script("return [...document.querySelectorAll('#main tbody tr')].map((r) => r.innerText)");
            return !admin.present("#err-target_type") && admin.path().contains("target_id=" + ops) && !rows.isEmpty()
                    && rows.stream().allMatch(r -> r.toString().contains(ops)) && rows.stream().anyMatch(r -> r.toString().contains("folder.create"));
        });
        assertThat(admin.find(".page-head a[download]").getAttribute("href")).contains("target_type=folder")
                .contains("target_id=" + ops).contains("format=csv");
        admin.assertAccessible();
        noConsoleErrors(admin);
    }

    @Test
    @Order(9)
    void a_viewer_sees_none_of_the_administration_pages_and_the_api_refuses_them() {
        String vicId = people.create("vic");
        bind("root", "user", vicId, "viewer");
        try (DashboardBrowser vic = DashboardBrowser.open(server.url())) {
            vic.signIn("vic", People.PASSWORD);
            assertThat(vic.all("nav a")).extracting(e -> e.getText()).contains("Robots")
                    .doesNotContain("People", "Groups", "Folders", "API keys", "Audit trail");
            vic.go("/people");
            // The shell says so without asking the API (whose 403 would be a console error).
            vic.waitForPageText("Your roles do not let you see this page");
            assertThat(vic.present("#new-user")).isFalse();
            vic.assertNoConsoleErrors();
        }
        String vicToken = people.signIn("vic").json().get("access_token").asText();
        for (String path : List.of("/api/v1/users", "/api/v1/groups", "/api/v1/api-keys", "/api/v1/service-accounts",
                "/api/v1/audit", "/api/v1/roles", "/api/v1/folders/root/bindings")) {
            Http.Response r = http.get(path, bearer(vicToken));
            assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(403);
        }
        assertThat(http.post("/api/v1/users", "{\"username\":\"mallory\"}", bearer(vicToken)).status()).isEqualTo(403);
    }

    @Test
    @Order(10)
    void every_page_shows_quickly() {
        record Page(String path, String ready) {}
        for (Page p : List.of(new Page("/people", "tr[data-key=ada]"), new Page("/groups", "[data-group]"),
                new Page("/folders", "#bindings table"), new Page("/keys", "#main tr[data-key]"), new Page("/audit", "#main tbody tr"))) {
            long ms = admin.timeToShow(p.path(), p.ready());
            timeToShow.put(p.path(), ms);
            assertThat(ms).as("time to show " + p.path()).isLessThan(5_000);
        }
        noConsoleErrors(admin);
    }

    @Test
    @Order(11)
    void the_last_administrator_is_not_disabled_and_the_page_says_why() {
        admin.go("/keys");
        admin.click("[data-account='Initial admin key'] [data-action=account-delete]");
        admin.clickText("dialog", "Delete");
        admin.waitForText(".page-notice", "Initial admin key disabled");
        assertThat(http.get("/api/v1/robots", bearer(adminKey)).status()).as("its key is revoked").isEqualTo(401);

        admin.go("/people");
        admin.click("tr[data-key=ada] [data-action=disable]");
        admin.clickText("dialog", "Disable");
        admin.waitForText(".page-notice", "last administrator");
        assertThat(admin.find(".page-notice").getDomAttribute("role")).isEqualTo("alert");
        assertThat(admin.find("tr[data-key=ada]").getText()).contains("active");
        admin.browser().consoleErrors(); // the browser's own line for the refused request (409)
        shots(admin, "people-last-admin");
        admin.assertAccessible();
    }

    // ---- helpers ----

    private void bind(String folder, String kind, String id, String role) {
        Http.Response r = http.post("/api/v1/folders/" + folder + "/bindings",
                "{\"principal\":{\"kind\":\"" + kind + "\",\"id\":\"" + id + "\"},\"role\":\"" + role + "\"}", bearer(adminKey));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private String createFolder(String name) {
        Http.Response r = http.post("/api/v1/folders", "{\"name\":\"" + name + "\"}", bearer(adminKey));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private String idOfKey(String name) {
        return find(http.get("/api/v1/api-keys", bearer(adminKey)).json(), "name", name);
    }

    private String idOfUser(String username) {
        return find(http.get("/api/v1/users", bearer(adminKey)).json(), "username", username);
    }

    private String idOfFolder(String path) {
        return find(http.get("/api/v1/folders", bearer(adminKey)).json(), "path", path);
    }

    private static String find(JsonNode list, String field, String value) {
        List<String> ids = new ArrayList<>();
        list.get("items").forEach(i -> {
            if (value.equals(i.get(field).asText())) {
                ids.add(i.get("id").asText());
            }
        });
        assertThat(ids).as(field + " " + value).hasSize(1);
        return ids.getFirst();
    }

    /** The page's screenshots at both widths, from its top. */
    private static void shots(DashboardBrowser ui, String name) {
        ui.script("window.scrollTo(0, 0)");
        ui.screenshots(name);
    }

    private static void noConsoleErrors(DashboardBrowser ui) {
        ui.assertNoConsoleErrors();
    }

    /** Chooses an option of a select as a person does (the change event the page listens to). */
    private static void choose(DashboardBrowser ui, String css, String value) {
        ui.waitFor(css);
        ui.script("const s = document.querySelector(arguments[0]); s.value = arguments[1];"
                + " s.dispatchEvent(new Event('change', {bubbles: true}));", css, value);
        assertThat(ui.find(css).getDomProperty("value")).isEqualTo(value);
    }

    /** True when the secret is in the URL, in local or session storage, or in a readable cookie. */
    private static boolean keptAnywhere(DashboardBrowser ui, String secret) {
        return (Boolean) ui.script("const s = arguments[0];"
                + " const stored = [...Object.values(localStorage), ...Object.values(sessionStorage)].join(' ');"
                + " return location.href.includes(s) || stored.includes(s) || document.cookie.includes(s)"
                + " || [...document.querySelectorAll('.toast')].some(t => t.textContent.includes(s));", secret);
    }
}
