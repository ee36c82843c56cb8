package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.paging.PageCursor;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.store.RobotStore;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** {@code GET /api/v1/robots}: keyset pages by id, filters, and a 400 naming each bad parameter. */
class RobotListApiTest {

    @Nested
    @BothDatabases
    class Listing {
        @Parameter
        TestDatabase database;
        @TempDir
        Path workDir;

        RunningOrchestrator server;
        Database side;
        RobotStore store;
        Http http;
        Map<String, String> admin;

        @BeforeEach
        void setUp() {
            server = database.isPostgres() ? RunningOrchestrator.postgres(workDir) : RunningOrchestrator.embedded(workDir);
            http = server.http();
            admin = Map.of("X-API-Key", server.adminKey(workDir));
            side = Database.open(server.env().containsKey("DATABASE_URL") ? DatabaseUrl.parse(server.env().get("DATABASE_URL"))
                    : DatabaseUrl.embedded(workDir.resolve("data")), PoolSettings.forCommand());
            store = new RobotStore(Jdbi3.of(side), side.dialect());
        }

        @AfterEach
        void tearDown() {
            side.close();
            server.close();
        }

        private void robot(String id, String name, List<String> capabilities, List<String> tags) {
            store.register(new Robot.Registration(id, name, Optional.of("host-" + id), capabilities, tags, Optional.empty(), 1,
                    Optional.empty(), "websocket"), Optional.empty());
        }

        @Test
        void pages_of_limit_walk_the_whole_fleet_by_id_once_each_and_the_last_says_so() {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 123; i++) {
                String id = String.format("bot-%03d", i);
                robot(id, "Bot " + i, List.of(), List.of());
                expected.add(id);
            }
            JsonNode first = ok("/api/v1/robots");
            assertThat(first.get("items")).as("the default limit, as for every listing").hasSize(50);
            assertThat(first.get("next_cursor").isTextual()).isTrue();

            List<String> seen = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonNode page = ok("/api/v1/robots?limit=40" + (cursor == null ? "" : "&cursor=" + cursor));
                page.get("items").forEach(r -> seen.add(r.get("id").asText()));
                assertThat(page.get("items").size()).isLessThanOrEqualTo(40);
                cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
                pages++;
            } while (cursor != null);
            assertThat(pages).isEqualTo(4);
            assertThat(seen).containsExactlyElementsOf(expected);

            JsonNode one = ok("/api/v1/robots?limit=1").get("items").get(0);
            assertThat(one.get("id").asText()).isEqualTo("bot-000");
            assertThat(one.get("name").asText()).as("the robot's fields as before").isEqualTo("Bot 0");
            assertThat(one.get("slots_total").asInt()).isEqualTo(1);
            assertThat(one.get("current_jobs")).isEmpty();
        }

        @Test
        void filters_by_status_capability_tag_and_text_combine() {
            robot("web-1", "Web One", List.of("browser", "desktop"), List.of("eu"));
            robot("web-2", "Web Two", List.of("browser"), List.of("us"));
            robot("odd-1", "Odd", List.of("browser-x", "a,\"browser\""), List.of("eu"));
            robot("desk-1", "Desk", List.of("desktop"), List.of("eu"));
            store.setMaintenance("web-2", true);
            store.setStatus("desk-1", Robot.Status.OFFLINE);
            store.setStatus("odd-1", Robot.Status.BUSY);

            assertThat(ids("capability=browser")).as("an exact element only").containsExactly("web-1", "web-2");
            assertThat(ids("capability=browser&capability=desktop")).containsExactly("web-1");
            assertThat(ids("capability=" + enc("a,\"browser\""))).containsExactly("odd-1");
            assertThat(ids("capability=brow")).isEmpty();
            assertThat(ids("tag=eu")).containsExactly("desk-1", "odd-1", "web-1");
            assertThat(ids("status=maintenance")).containsExactly("web-2");
            assertThat(ids("status=online")).as("maintenance shows instead").containsExactly("web-1");
            assertThat(ids("status=offline,busy")).containsExactly("desk-1", "odd-1");
            assertThat(ids("status=online&status=maintenance&tag=us")).containsExactly("web-2");
            assertThat(ids("q=WEB")).containsExactly("web-1", "web-2");
            assertThat(ids("q=host-desk")).as("the hostname too").containsExactly("desk-1");
            assertThat(ids("q=" + enc("100%"))).as("LIKE's characters are text").isEmpty();
            assertThat(ids("q=&status=&capability=")).as("empty values filter nothing").hasSize(4);
            assertThat(ids("capability=browser&limit=1")).containsExactly("web-1");

            String csv = http.get("/api/v1/robots?format=csv&status=offline", admin).body();
            assertThat(csv.lines().count()).as("the header and desk-1").isEqualTo(2);
            assertThat(csv).contains("desk-1").doesNotContain("web-1");
        }

        @Test
        void a_bad_parameter_is_a_400_naming_it() {
            robot("only", "Only", List.of(), List.of());
            assertBad("status=sleeping", "status");
            assertBad("limit=501", "limit");
            assertBad("limit=0", "limit");
            assertBad("cursor=%25%25", "cursor");
            assertBad("cursor=" + PageCursor.encode(List.of("2026-01-01T00:00:00Z", "job_x")), "cursor");
            assertBad("q=" + "x".repeat(201), "q");
            assertBad("capability=" + "c".repeat(201), "capability");
            StringBuilder many = new StringBuilder("limit=5");
            for (int i = 0; i < 21; i++) {
                many.append("&tag=t").append(i);
            }
            assertBad(many.toString(), "tag");
        }

        private void assertBad(String query, String field) {
            Http.Response r = http.get("/api/v1/robots?" + query, admin);
            assertThat(r.status()).as(query + ": " + r.body()).isEqualTo(400);
            assertThat(r.json().at("/error/details/field").asText()).as(query).isEqualTo(field);
        }

        private JsonNode ok(String path) {
            Http.Response r = http.get(path, admin);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            return r.json();
        }

        private List<String> ids(String query) {
            List<String> out = new ArrayList<>();
            ok("/api/v1/robots?" + query).get("items").forEach(r -> out.add(r.get("id").asText()));
            return out;
        }

        private static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }
}
