package com.casarerpa.orchestrator.dashboard;

import static com.casarerpa.orchestrator.testing.People.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.DashboardBrowser;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.People;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard at the size of the quality bar, on PostgreSQL: 1,000 robots and 100,000
 * jobs in the database. Each page's time to show its data on a fresh load (the figures of
 * docs/dashboard.md, printed here), and the script and style the browser was sent, compressed.
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardScaleTest {
    static final int ROBOTS = 1_000;
    static final int JOBS = 100_000;
    /** The quality bar: every page shows its data within this on this machine. */
    static final long FIRST_PAINT_MS = 1_000;
    static final long SHIPPED_BYTES = 300 * 1024;

    @TempDir
    static Path workDir;

    RunningOrchestrator server;
    String adminKey;
    String workflowId;

    @BeforeAll
    void seed() throws SQLException {
        server = RunningOrchestrator.postgres(workDir, People.FAST_SIGN_IN);
        adminKey = server.adminKey(workDir);
        Http http = server.http();
        Http.Response deployed = http.post("/api/v1/workflows", "{\"name\":\"Invoices\",\"workflow_data\":"
                + Samples.chain("Invoices", "a", "b") + "}", bearer(adminKey));
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        workflowId = deployed.json().at("/id").asText(deployed.json().at("/workflow/id").asText());
        String database = server.pgDatabase().orElseThrow();
        try (Connection c = DriverManager.getConnection(TestPostgres.jdbcUrl(database), TestPostgres.USER, TestPostgres.PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO robots (id, name, hostname, capabilities, tags, max_concurrent_jobs, status, maintenance, protocol,"
                    + " registered_at, last_heartbeat, cpu_percent, memory_percent, current_job_count)"
                    + " SELECT 'rb_seed_' || g, 'robot-' || g, 'host-' || g, '[\"browser\"]', '[]', 2,"
                    + " CASE WHEN g % 4 = 0 THEN 'offline' WHEN g % 4 = 1 THEN 'busy' ELSE 'online' END, g % 50 = 0, 'websocket',"
                    + " now() - interval '10 days', now() - (g % 60) * interval '1 second', g % 100, (g * 7) % 100, 0"
                    + " FROM generate_series(1, " + ROBOTS + ") g");
            // A day of history: most finished, some failed with a few messages, a queue of pending ones.
            s.execute("INSERT INTO jobs (id, workflow_id, workflow_version, state, priority, variables, tags, max_retries, attempt,"
                    + " run_after, robot_id, error_type, error_message, source, created_by, created_at, updated_at, started_at,"
                    + " finished_at, folder_id)"
                    + " SELECT 'job_seed_' || lpad(g::text, 7, '0'), '" + workflowId + "', 1,"
                    + " CASE WHEN g % 50 = 0 THEN 'pending' WHEN g % 13 = 0 THEN 'failed' WHEN g % 97 = 0 THEN 'cancelled'"
                    + " ELSE 'succeeded' END, 5, '{\"invoice\":' || g || '}', '[\"seed\"]', 0, 1, now(),"
                    + " 'rb_seed_' || (g % " + ROBOTS + " + 1),"
                    + " CASE WHEN g % 13 = 0 THEN 'TimeoutError' END,"
                    + " CASE WHEN g % 13 = 0 THEN 'page did not load after ' || (g % 30) || ' seconds' END,"
                    + " 'api', 'seed', now() - (g * interval '800 milliseconds'), now(), now() - (g * interval '800 milliseconds'),"
                    + " CASE WHEN g % 50 = 0 THEN NULL ELSE now() - (g * interval '800 milliseconds') + interval '3 seconds' END, 'root'"
                    + " FROM generate_series(1, " + JOBS + ") g");
            s.execute("ANALYZE");
        }
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void every_page_shows_its_data_within_a_second_and_ships_under_300_kb() {
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("/", "#queue-depth");
        pages.put("/robots", "#main tbody tr");
        pages.put("/robots/rb_seed_7", "#main dl.facts");
        pages.put("/jobs", "#main tbody tr");
        pages.put("/jobs/job_seed_0000013", "#main h1");
        pages.put("/failures", "#main tbody tr, #main .group");
        pages.put("/workflows", "#main tbody tr");
        pages.put("/workflows/" + workflowId, "#main svg");
        pages.put("/schedules", "#main h1");
        pages.put("/audit", "#main tbody tr");
        Map<String, Long> took = new LinkedHashMap<>();
        Map<String, Long> sent = new LinkedHashMap<>();
        try (DashboardBrowser ui = DashboardBrowser.open(server.url())) {
            ui.signInWithKey(adminKey);
            collectSent(ui, sent);
            for (var page : pages.entrySet()) {
                // First visit: the page's module comes over the wire (counted); the second, as for a
                // returning person, revalidates it (304) and is the one timed.
                ui.timeToShow(page.getKey(), page.getValue());
                collectSent(ui, sent);
                took.put(page.getKey(), ui.timeToShow(page.getKey(), page.getValue()));
            }
            ui.go("/");
            ui.waitFor("#jpm .uplot");
            ui.screenshots("overview-at-scale"); // the README's picture
            long shipped = sent.values().stream().mapToLong(Long::longValue).sum();
            List<String> external = ((List<?>) ui.script("return performance.getEntriesByType('resource').map(e => e.name)"
                    + ".filter(n => !n.startsWith(location.origin))")).stream().map(String::valueOf).toList();
            System.out.println("dashboard at " + ROBOTS + " robots and " + JOBS + " jobs (PostgreSQL), ms to show: " + took);
            System.out.println("dashboard script and style, compressed as sent: " + shipped + " bytes in " + sent.size() + " files");
            assertThat(external).as("nothing is loaded from another site").isEmpty();
            assertThat(shipped).as("script and style shipped, compressed").isLessThan(SHIPPED_BYTES);
            assertThat(took).allSatisfy((page, ms) -> assertThat(ms).as(page).isLessThan(FIRST_PAINT_MS));
            ui.assertNoConsoleErrors();
        }
    }

    /** The script and style files the page has fetched so far, with the bytes sent for each (compressed). */
    private static void collectSent(DashboardBrowser ui, Map<String, Long> sent) {
        List<?> entries = (List<?>) ui.script("return performance.getEntriesByType('resource')"
                + ".filter(e => /[.](js|css)([?]|$)/.test(e.name)).map(e => [e.name, e.encodedBodySize])");
        for (Object o : entries) {
            List<?> e = (List<?>) o;
            sent.merge(String.valueOf(e.get(0)), ((Number) e.get(1)).longValue(), Math::max);
        }
    }
}
