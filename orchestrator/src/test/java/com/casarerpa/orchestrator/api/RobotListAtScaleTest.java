package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/robots} with 10,000 robots on PostgreSQL: the first page, a filtered page
 * and the walk of every page, each robot once. Prints how long they took (rough figures on a
 * shared machine, for docs/rest-api.md; nothing here is timed as an assertion).
 */
@Tag("ops")
class RobotListAtScaleTest {
    private static final int FLEET = 10_000;

    @TempDir
    Path workDir;

    @Test
    void ten_thousand_robots_come_a_page_at_a_time_each_once() {
        // Walking 20 pages and a few filtered ones takes more than the default budget's burst of 20 requests.
        try (RunningOrchestrator server = RunningOrchestrator.postgres(workDir, Map.of(
                "CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "6000", "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "1000"));
                Database side = Database.open(DatabaseUrl.parse(server.env().get("DATABASE_URL")), PoolSettings.forCommand())) {
            Http http = server.http();
            Map<String, String> admin = Map.of("X-API-Key", server.adminKey(workDir));
            Jdbi3.of(side).useHandle(h -> h.execute("INSERT INTO robots (id, name, hostname, capabilities, tags, max_concurrent_jobs,"
                    + " status, protocol, registered_at, last_heartbeat) SELECT 'robot-' || LPAD(g::text, 5, '0'), 'Robot ' || g,"
                    + " 'host-' || g, CASE WHEN g % 10 = 0 THEN '[\"browser\"]' ELSE '[]' END, '[]', 2,"
                    + " CASE WHEN g % 3 = 0 THEN 'offline' ELSE 'online' END, 'websocket', now(), now()"
                    + " FROM generate_series(1, " + FLEET + ") g"));

            long t0 = System.nanoTime();
            JsonNode first = ok(http, "/api/v1/robots", admin);
            long firstMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(first.get("items")).hasSize(50);
            t0 = System.nanoTime();
            JsonNode filtered = ok(http, "/api/v1/robots?capability=browser&status=online&limit=500", admin);
            long filteredMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(filtered.get("items")).isNotEmpty().allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("online"));

            Set<String> seen = new HashSet<>();
            String cursor = null;
            int pages = 0;
            t0 = System.nanoTime();
            do {
                JsonNode page = ok(http, "/api/v1/robots?limit=500" + (cursor == null ? ""
                        : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), admin);
                page.get("items").forEach(r -> assertThat(seen.add(r.get("id").asText())).isTrue());
                cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
                pages++;
            } while (cursor != null);
            long walkMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(seen).hasSize(FLEET);
            System.out.printf("RobotListAtScaleTest: %d robots: first page (50) %d ms, filtered page %d ms, every robot in %d pages"
                    + " of 500 %d ms%n", FLEET, firstMs, filteredMs, pages, walkMs);
        }
    }

    private static JsonNode ok(Http http, String path, Map<String, String> admin) {
        Http.Response r = http.get(path, admin);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }
}
