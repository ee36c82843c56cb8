package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.OpenApiOperations;
import com.casarerpa.orchestrator.testing.OpenApiOperations.Operation;
import com.casarerpa.orchestrator.testing.People;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.casarerpa.testkit.RobotEvents;
import com.casarerpa.testkit.RobotSetup;
import com.casarerpa.testkit.Robots;
import com.casarerpa.testkit.TestRobot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * The fuzz pass of issue 16: 10,000 malformed, oversized and hostile REST requests
 * ({@link RestFuzz}) and WebSocket frames ({@link FrameFuzz}), drawn from one seeded generator,
 * sent while a light load runs (three robots running the jobs a client submits ten times a
 * second). Nothing may answer 5xx, no hostile write may be accepted, a bad frame gets its error
 * and leaves its connection up, and the counts of jobs, workflows, keys and the other resources
 * are what they were but for the load's own jobs, which all succeed.
 *
 * <p>The seed is printed; {@code -Dfuzz.seed=N} replays a run.
 */
@Tag("ops")
@BothDatabases
class FuzzPassTest {
    private static final int REST_REQUESTS = 5_000;
    private static final int WS_FRAMES = 5_000;
    /** Tables whose rows only an accepted write adds or removes (jobs apart: the load adds to them). */
    private static final List<String> TABLES = List.of("workflows", "workflow_versions", "api_keys", "api_key_folders",
            "schedules", "webhooks", "folders", "users", "user_groups", "user_group_members", "role_bindings", "roles",
            "role_permissions", "service_accounts", "robot_folders", "job_batches", "job_bulk_actions", "password_resets");

    @Parameter
    TestDatabase database;
    @TempDir
    Path workDir;

    @Test
    void ten_thousand_hostile_requests_and_frames_under_load_get_no_5xx_change_nothing_and_keep_connections_up() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        System.out.println("FuzzPassTest on " + database + ": seed " + seed + " (replay with -Dfuzz.seed=" + seed + ")");
        Map<String, String> env = new HashMap<>(People.FAST_SIGN_IN);
        env.put("CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "1000000");
        env.put("CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "1000000");
        try (RunningOrchestrator server = database.isPostgres() ? RunningOrchestrator.postgres(workDir, env)
                : RunningOrchestrator.embedded(workDir, env);
                Robots fleet = new Robots();
                Database side = Database.open(server.env().containsKey("DATABASE_URL")
                        ? DatabaseUrl.parse(server.env().get("DATABASE_URL"))
                        : DatabaseUrl.embedded(Path.of(server.env().get("CASARE_DATA_DIR"))), PoolSettings.forCommand())) {
            Http http = server.http();
            int port = server.orchestrator().port();
            DocumentedResources fixtures = new DocumentedResources(http, server.adminKey(workDir));
            List<Operation> operations = OpenApiOperations.of(http.get("/openapi.json", fixtures.admin).json()).stream()
                    .filter(op -> !op.path().equals("/api/v1/events")) // a stream: a valid request stays open
                    .filter(op -> hasResources(fixtures, op))
                    .toList();
            assertThat(operations).hasSizeGreaterThan(80);
            String fleetKey = http.post("/api/v1/api-keys", "{\"name\":\"fuzz fleet\",\"role\":\"robot\"}", fixtures.admin).json()
                    .path("key").asText();
            // The robot the frames speak for: in maintenance, so that it never takes a job of the load.
            assertThat(http.post("/api/v1/robots/register", "{\"robot_id\":\"" + FrameFuzz.ROBOT + "\"}",
                    Map.of("X-API-Key", fleetKey)).status()).isEqualTo(200);
            assertThat(http.post("/api/v1/robots/" + FrameFuzz.ROBOT + "/maintenance", "{\"enabled\":true}", fixtures.admin)
                    .status()).isEqualTo(200);
            Jdbi sql = Jdbi3.of(side);
            Map<String, Long> before = counts(sql);

            Load load = new Load(http, fixtures.admin, fleet, fleetKey, port);
            RestFuzz rest = new RestFuzz(new Random(seed), http, fixtures, operations, port);
            FrameFuzz frames = new FrameFuzz(new Random(seed + 1), port, fleetKey, load::jobIds);
            var threads = Executors.newVirtualThreadPerTaskExecutor();
            CompletableFuture<List<String>> framed = CompletableFuture.supplyAsync(() -> frames.run(WS_FRAMES), threads);
            List<String> restFindings = rest.run(REST_REQUESTS);
            List<String> frameFindings = framed.get(20, TimeUnit.MINUTES);
            List<String> submitted = load.stop();

            boolean ran;
            try {
                await().atMost(Duration.ofMinutes(5)).until(() -> succeeded(sql, submitted) == submitted.size());
                ran = true;
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                ran = false;
            }
            Map<String, Long> after = counts(sql);
            String replay = " (seed " + seed + ", replay with -Dfuzz.seed=" + seed + ")";
            Map<String, Long> expected = new LinkedHashMap<>(before);
            expected.put("jobs", before.get("jobs") + submitted.size());
            SoftAssertions all = new SoftAssertions();
            all.assertThat(rest.sent()).isEqualTo(REST_REQUESTS);
            all.assertThat(frames.sent()).isEqualTo(WS_FRAMES);
            all.assertThat(restFindings).as("REST requests answered 5xx, not at all, or accepted" + replay).isEmpty();
            all.assertThat(frameFindings).as("frames not answered, answered internal_error, or connections lost" + replay).isEmpty();
            all.assertThat(rest.tracer().changesOfRefused(rest.tracer().audited(fixtures.admin))).as("changes of refused requests"
                    + replay).isEmpty();
            all.assertThat(after).as("rows: only the load's jobs are new" + replay).isEqualTo(expected);
            all.assertThat(load.errors()).as("what the load's robots saw go wrong" + replay).isEmpty();
            all.assertThat(submitted).as("the load ran").hasSizeGreaterThan(10);
            all.assertThat(ran).as("every job of the load succeeded within 5 minutes" + replay).isTrue();
            all.assertThat(http.get("/health").status()).isEqualTo(200);
            System.out.println("FuzzPassTest on " + database + ": " + rest.summary() + "; " + frames.summary() + "; load: "
                    + submitted.size() + " jobs, " + succeeded(sql, submitted) + " succeeded");
            all.assertAll();
        }
    }

    /** Whether every path parameter of {@code op} names a resource the fixtures made (HostileInputsTest insists; here it is enough). */
    private static boolean hasResources(DocumentedResources fixtures, Operation op) {
        try {
            fixtures.path(op, null, null);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    private static Map<String, Long> counts(Jdbi sql) {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("jobs", count(sql, "jobs"));
        TABLES.forEach(t -> out.put(t, count(sql, t)));
        return out;
    }

    private static long count(Jdbi sql, String table) {
        return sql.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }

    private static long succeeded(Jdbi sql, List<String> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        return sql.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM jobs WHERE state = 'succeeded' AND id IN (<ids>)")
                .bindList("ids", ids).mapTo(Long.class).one());
    }

    /** The legitimate load: three robots of two slots that finish each job at once, and a client submitting ten jobs a second. */
    private static final class Load {
        private final List<String> jobIds = new CopyOnWriteArrayList<>();
        private final List<String> errors = new CopyOnWriteArrayList<>();
        private final ScheduledExecutorService submitter = Executors.newSingleThreadScheduledExecutor();

        Load(Http http, Map<String, String> admin, Robots fleet, String fleetKey, int port) throws Exception {
            RobotEvents events = new RobotEvents() {
                @Override
                public void error(String what) {
                    errors.add(what);
                }
            };
            for (int i = 0; i < 3; i++) {
                fleet.start(RobotSetup.immediate(fleetKey, TestRobot.uri(port), "load-" + i, "load-host", "1.0", 2), events);
            }
            fleet.registered().get(60, TimeUnit.SECONDS);
            submitter.scheduleAtFixedRate(() -> {
                Http.Response r = http.post("/api/v1/jobs", "{\"workflow_name\":\"Daily Report\"}", admin);
                if (r.status() == 201) {
                    jobIds.add(r.json().path("id").asText());
                } else {
                    errors.add("submit answered " + r.status() + " " + r.body());
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
        }

        List<String> jobIds() {
            return jobIds;
        }

        List<String> errors() {
            return errors;
        }

        /** Stops submitting; the jobs it submitted. */
        List<String> stop() throws InterruptedException {
            submitter.shutdown();
            submitter.awaitTermination(30, TimeUnit.SECONDS);
            return List.copyOf(jobIds);
        }
    }
}
