package com.casarerpa.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every audited change writes its event in its own transaction: when the event cannot be
 * written (here a CHECK constraint refuses events of requests whose id starts with
 * {@code refuse-}), the change is rolled back and the request fails; a change that is done has
 * exactly one event; a change refused by a rule leaves none.
 */
class AuditInTransactionTest {
    @TempDir
    Path workDir;

    private final AtomicInteger requests = new AtomicInteger();
    private Http http;
    private Map<String, String> admin;
    private Jdbi side;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void a_change_commits_with_its_audit_event_or_not_at_all(String database) throws Exception {
        Map<String, String> generous = Map.of("CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "10000");
        try (RunningOrchestrator server = database.equals("h2") ? RunningOrchestrator.embedded(workDir, generous)
                : RunningOrchestrator.postgres(workDir, generous);
                Database db = Database.open(database.equals("h2") ? DatabaseUrl.embedded(workDir.resolve("data"))
                        : DatabaseUrl.parse(server.env().get("DATABASE_URL")), PoolSettings.forCommand())) {
            http = server.http();
            admin = Map.of("X-API-Key", server.adminKey(workDir));
            side = Jdbi3.of(db);
            side.useHandle(h -> h.execute("ALTER TABLE audit_events ADD CONSTRAINT test_refuse_events"
                    + " CHECK (request_id IS NULL OR request_id NOT LIKE 'refuse-%')"));
            String robotKey = http.post("/api/v1/api-keys", "{\"name\":\"robots\",\"role\":\"robot\"}", admin).json().get("key").asText();

            audited("workflow.deploy", () -> get("/api/v1/workflows/Audited"), h -> http.post("/api/v1/workflows",
                    "{\"name\":\"Audited\",\"workflow_data\":" + Samples.chain("Audited", "a") + "}", h));
            audited("workflow.update", () -> get("/api/v1/workflows/Audited"),
                    h -> http.patch("/api/v1/workflows/Audited", "{\"description\":\"audited\"}", h));
            String export = http.get("/api/v1/workflows/export?workflow=Audited", admin).body();

            audited("job.submit", () -> count("SELECT COUNT(*) FROM jobs"),
                    h -> http.post("/api/v1/jobs", "{\"workflow_name\":\"Audited\"}", h));
            String job = side.withHandle(x -> x.createQuery("SELECT id FROM jobs").mapTo(String.class).one());
            audited("job.cancel", () -> get("/api/v1/jobs/" + job), h -> http.post("/api/v1/jobs/" + job + "/cancel", "{}", h));
            audited("job.retry", () -> get("/api/v1/jobs/" + job), h -> http.post("/api/v1/jobs/" + job + "/retry", "{}", h));

            String schedule = "{\"name\":\"audited\",\"workflow_name\":\"Audited\",\"cron\":\"0 * * * *\"}";
            audited("schedule.create", () -> get("/api/v1/schedules/audited"), h -> http.post("/api/v1/schedules", schedule, h));
            refused("schedule.create", http.post("/api/v1/schedules", schedule, admin), 409);
            audited("schedule.update", () -> get("/api/v1/schedules/audited"),
                    h -> http.patch("/api/v1/schedules/audited", "{\"cron\":\"5 * * * *\"}", h));
            audited("schedule.disable", () -> get("/api/v1/schedules/audited"),
                    h -> http.post("/api/v1/schedules/audited/disable", "{}", h));
            audited("schedule.trigger", () -> count("SELECT COUNT(*) FROM jobs"),
                    h -> http.post("/api/v1/schedules/audited/trigger", "{}", h));
            audited("schedule.delete", () -> get("/api/v1/schedules/audited"), h -> http.delete("/api/v1/schedules/audited", h));

            audited("webhook.create", () -> get("/api/v1/webhooks/hook"), h -> http.post("/api/v1/webhooks",
                    "{\"name\":\"hook\",\"workflow_name\":\"Audited\"}", h));
            audited("webhook.disable", () -> get("/api/v1/webhooks/hook"), h -> http.post("/api/v1/webhooks/hook/disable", "{}", h));
            audited("webhook.delete", () -> get("/api/v1/webhooks/hook"), h -> http.delete("/api/v1/webhooks/hook", h));

            audited("api_key.create", () -> count("SELECT COUNT(*) FROM api_keys"),
                    h -> http.post("/api/v1/api-keys", "{\"name\":\"viewer\",\"role\":\"viewer\"}", h));
            String viewer = side.withHandle(x -> x.createQuery("SELECT id FROM api_keys WHERE name = 'viewer'").mapTo(String.class).one());
            audited("api_key.revoke", () -> get("/api/v1/api-keys/" + viewer), h -> http.delete("/api/v1/api-keys/" + viewer, h));

            audited("robot.register", () -> get("/api/v1/robots/worker"), h -> http.post("/api/v1/robots/register",
                    "{\"robot_id\":\"worker\",\"name\":\"worker\",\"capabilities\":[\"w\"]}", with(h, "X-API-Key", robotKey)));
            audited("robot.maintenance_on", () -> get("/api/v1/robots/worker"),
                    h -> http.post("/api/v1/robots/worker/maintenance", "{\"enabled\":true}", h));
            audited("robot.maintenance_off", () -> get("/api/v1/robots/worker"),
                    h -> http.post("/api/v1/robots/worker/maintenance", "{\"enabled\":false}", h));

            String failing = http.post("/api/v1/jobs", "{\"workflow_name\":\"Audited\",\"max_retries\":0,\"priority\":20,"
                    + "\"required_capabilities\":[\"w\"]}", admin).json().get("id").asText();
            Map<String, String> robot = Map.of("X-API-Key", robotKey);
            assertThat(http.post("/api/v1/jobs/claim", "{\"robot_id\":\"worker\"}", robot).json().get("job_id").asText()).isEqualTo(failing);
            http.post("/api/v1/jobs/" + failing + "/fail", "{\"robot_id\":\"worker\",\"error_message\":\"boom\"}", robot);
            audited("job.retry_bulk", () -> get("/api/v1/jobs/" + failing),
                    h -> http.post("/api/v1/jobs/retry", "{\"ids\":[\"" + failing + "\"]}", h));
            audited("robot.delete", () -> get("/api/v1/robots/worker"), h -> http.delete("/api/v1/robots/worker", h));

            audited("workflow.delete", () -> get("/api/v1/workflows/Audited"),
                    h -> http.delete("/api/v1/workflows/Audited?cascade=true", h));
            audited("workflow.import", () -> get("/api/v1/workflows/Audited"), h -> http.post("/api/v1/workflows/import", export, h));
        }
    }

    /**
     * The change, tried with a request whose event the database refuses: it fails and changes
     * nothing; then done: it changes what {@code state} shows, with exactly one event.
     */
    private void audited(String action, Supplier<String> state, Function<Map<String, String>, Http.Response> change) {
        String before = state.get();
        long events = events(action);
        Http.Response refused = change.apply(with(admin, "X-Request-ID", "refuse-" + requests.incrementAndGet()));
        assertThat(refused.status()).as(action + " whose event cannot be written: " + refused.body()).isGreaterThanOrEqualTo(500);
        assertThat(state.get()).as(action + " whose event cannot be written changes nothing").isEqualTo(before);
        assertThat(events(action)).as(action + ": no event").isEqualTo(events);

        Http.Response done = change.apply(with(admin, "X-Request-ID", "ok-" + requests.incrementAndGet()));
        assertThat(done.status()).as(action + ": " + done.body()).isBetween(200, 299);
        assertThat(state.get()).as(action + " changes something").isNotEqualTo(before);
        assertThat(events(action)).as(action + ": exactly one event").isEqualTo(events + 1);
    }

    /** A change a rule refuses leaves no event. */
    private void refused(String action, Http.Response response, int status) {
        long events = events(action);
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(events(action)).isEqualTo(events);
    }

    private long events(String action) {
        return side.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audit_events WHERE action = :a").bind("a", action)
                .mapTo(Long.class).one());
    }

    private String count(String sql) {
        return side.withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
    }

    /** The resource as the API shows it (status and body), with what changes on every read left out. */
    private String get(String path) {
        Http.Response r = http.get(path, admin);
        return r.status() + " " + r.body().replaceAll("\"(updated_at|last_used_at|waiting_reason|last_heartbeat|request_id)\":\"[^\"]*\"", "");
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> all = new HashMap<>(headers);
        all.put(name, value);
        return all;
    }
}
