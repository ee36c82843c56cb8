package com.casarerpa.orchestrator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.DashboardBrowser;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.People;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base of a class of page tests: one server and one browser for the class (the workflow, schedule and webhook
 * pages), signing in as one person after another, timing how long pages take to show, and
 * checking the console: every console error counts.
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class DashboardPages {
    @TempDir
    static Path workDir;

    RunningOrchestrator server;
    Http http;
    String adminKey;
    DashboardBrowser ui;
    private final List<String> timings = new ArrayList<>();
    private String signedIn;

    @BeforeAll
    void startServerAndBrowser() {
        server = RunningOrchestrator.embedded(workDir, People.FAST_SIGN_IN);
        http = server.http();
        adminKey = server.adminKey(workDir);
        ui = DashboardBrowser.open(server.url());
    }

    /** Signs in as {@code username} (with {@link People#PASSWORD}), signing out whoever was signed in. */
    void signInAs(String username) {
        if (username.equals(signedIn)) {
            return;
        }
        if (signedIn != null) {
            ui.go("/");
            ui.click("#sign-out");
            ui.waitFor("#username");
        }
        ui.signIn(username, People.PASSWORD);
        signedIn = username;
        assertNoConsoleErrors(); // the overview, the page signed into
    }

    /** Milliseconds from a fresh load of {@code path} until {@code readyCss} shows, kept for the report. */
    void time(String label, String path, String readyCss) {
        timings.add(label + " " + ui.timeToShow(path, readyCss) + " ms");
    }

    /** A new user with {@link People#PASSWORD} and these roles at the root folder. */
    String person(String username, String... roles) {
        String id = new People(http, adminKey).create(username);
        for (String role : roles) {
            Http.Response bound = http.post("/api/v1/folders/root/bindings",
                    "{\"principal\":{\"kind\":\"user\",\"id\":\"" + id + "\"},\"role\":\"" + role + "\"}", People.bearer(adminKey));
            assertThat(bound.status()).as(bound.body()).isEqualTo(201);
        }
        return id;
    }

    /** The person's own bearer token, for calling the API as them. */
    Map<String, String> tokenOf(String username) {
        return People.bearer(new People(http, adminKey).signIn(username).json().get("access_token").asText());
    }

    @AfterAll
    void stopServerAndBrowser() {
        System.out.println(getClass().getSimpleName() + ", time to show: " + String.join(", ", timings));
        if (ui != null) {
            ui.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /**
     * Screenshots at both widths ({@link DashboardBrowser#screenshots}), axe-core, and at phone
     * width nothing wider than the screen (tables and the graph scroll inside themselves).
     */
    void checkPage(String name) {
        ui.assertAccessible();
        ui.screenshots(name);
        ui.browser().resize(DashboardBrowser.PHONE, 844);
        try {
            Object wide = ui.script("const w = document.documentElement.clientWidth;"
                    + " return document.documentElement.scrollWidth <= w ? null"
                    + " : [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > w + 1)"
                    + ".slice(-5).map((e) => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')");
            assertThat(wide).as("wider than a phone's screen on " + ui.path()).isNull();
        } finally {
            ui.browser().resize(DashboardBrowser.WIDE, DashboardBrowser.HEIGHT);
        }
    }

    void assertNoConsoleErrors() {
        assertNoConsoleErrorsBut();
    }

    /**
     * No console errors but the browser's line for each request the test made the page send to be
     * refused ({@code "/api/v1/jobs 400"}: the browser logs every answer of 4xx as an error).
     */
    void assertNoConsoleErrorsBut(String... refusals) {
        assertThat(ui.consoleErrors().stream()
                .filter(line -> java.util.Arrays.stream(refusals).noneMatch(r -> refused(line, r)))
                .toList()).as("console errors on " + ui.path()).isEmpty();
    }

    private static boolean refused(String line, String refusal) {
        String[] pathAndStatus = refusal.split(" ");
        return line.contains(pathAndStatus[0]) && line.contains("status of " + pathAndStatus[1]);
    }
}
