package com.casarerpa.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.testing.ChildJvm;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.ExactlyOnce;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.OrchestratorProcess;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.casarerpa.testkit.RobotLog;
import com.casarerpa.testkit.RobotSetup;
import com.casarerpa.testkit.Robots;
import com.casarerpa.testkit.TestRobot;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's rolling restart: two instances in JVMs of their own on one PostgreSQL database,
 * robots connected to both, jobs submitted all along; each instance in turn gets SIGTERM (it
 * answers /ready 503 first, drains its robots to the other, lets requests in flight finish) and
 * is started again on its port. Every job acknowledged to the submitter succeeds exactly once,
 * under its first lease: a drain keeps leases, it does not turn into re-runs.
 */
@Tag("ops")
class RollingRestartTest {
    static final Map<String, String> SETTINGS = Map.of(
            "CASARE_ROBOTS_HEARTBEAT_INTERVAL_SECONDS", "1",
            "CASARE_ROBOTS_HEARTBEAT_TIMEOUT_SECONDS", "3",
            "CASARE_QUEUE_VISIBILITY_TIMEOUT_SECONDS", "10",
            "CASARE_QUEUE_RETRY_DELAY_SECONDS", "0",
            "CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "100000",
            "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "10000",
            "ORCHESTRATOR_DRAIN_DELAY_SECONDS", "2");
    /** Jobs acknowledged between two steps of the roll, so each step happens under load. */
    static final int JOBS_PER_STEP = 40;

    @TempDir
    Path workA;
    @TempDir
    Path workB;

    private final List<String> acknowledged = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Submission> unacknowledged = new ConcurrentLinkedDeque<>();
    private final AtomicInteger submissions = new AtomicInteger();
    private final AtomicBoolean submitting = new AtomicBoolean(true);

    @Test
    void a_rolling_restart_under_load_loses_no_job_and_runs_each_once_under_its_first_lease() throws Exception {
        String db = TestPostgres.createMigratedDatabase();
        RobotLog log = new RobotLog();
        ScheduledExecutorService submitter = Executors.newSingleThreadScheduledExecutor();
        List<ChildJvm> instances = new ArrayList<>();
        try (Robots robots = new Robots()) {
            instances.add(start(workA, db, 0));
            instances.add(start(workB, db, 0));
            int[] ports = {port(instances.get(0)), port(instances.get(1))};
            Map<String, String> admin = Map.of("X-API-Key", adminKey(db));
            Http api = new Http(ports[0]);
            Http.Response deployed = api.post("/api/v1/workflows", "{\"name\":\"Greeting\",\"workflow_data\":"
                    + Samples.chain("greeting", "hello") + "}", admin);
            assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
            String workflowId = deployed.json().get("id").asText();
            Http.Response robotKey = api.post("/api/v1/api-keys", "{\"name\":\"Fleet\",\"role\":\"robot\"}", admin);
            assertThat(robotKey.status()).as(robotKey.body()).isEqualTo(201);
            List<URI> aFirst = List.of(TestRobot.uri(ports[0]), TestRobot.uri(ports[1]));
            for (int i = 0; i < 4; i++) {
                robots.start(RobotSetup.resilient(robotKey.json().get("key").asText(), "robot-" + i,
                        i % 2 == 0 ? aFirst : aFirst.reversed()), log);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> robots.all().stream().allMatch(r -> r.connectedPort() != 0));

            submitter.scheduleAtFixedRate(() -> submitNext(ports, workflowId, admin), 0, 30, TimeUnit.MILLISECONDS);
            for (int i = 0; i < 2; i++) {
                int port = ports[i];
                int other = ports[1 - i];
                Path work = i == 0 ? workA : workB;
                int before = acknowledged.size();
                await("jobs flow and robots on :" + port + " hold some").atMost(Duration.ofSeconds(60))
                        .until(() -> acknowledged.size() >= before + JOBS_PER_STEP
                                && robots.all().stream().anyMatch(r -> r.connectedPort() == port && r.holding() > 0));

                ChildJvm stopping = instances.get(i);
                stopping.sendTerm();
                Http http = new Http(port);
                await("/ready answers 503 while the instance drains").atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(50)).until(() -> http.get("/ready").status() == 503);
                assertThat(stopping.isAlive()).as("still serving while /ready says 503").isTrue();
                assertThat(stopping.awaitExit(Duration.ofSeconds(60))).as(stopping.output().toString()).isIn(0, 143);
                assertThat(stopping.output()).anyMatch(l -> l.contains("orchestrator stopped"));
                await("the robots of :" + port + " moved to :" + other).atMost(Duration.ofSeconds(20))
                        .until(() -> robots.all().stream().noneMatch(r -> r.connectedPort() == port));

                instances.set(i, start(work, db, port));
                await("the restarted instance is ready").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> http.get("/ready").status() == 200);
            }
            int before = acknowledged.size();
            await("jobs flow after the roll").atMost(Duration.ofSeconds(60))
                    .until(() -> acknowledged.size() >= before + JOBS_PER_STEP);
            submitting.set(false);
            submitter.shutdown();
            assertThat(submitter.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertThat(unacknowledged).as("submissions never acknowledged by either instance").isEmpty();

            await("every acknowledged job succeeded").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> notSucceeded(db).isEmpty());
            robots.close();
            ExactlyOnce.assertEveryJobSucceededExactlyOnce(db, acknowledged, log);
            ExactlyOnce.assertNoJobRanTwiceAtOnce(log);
            assertThat(jobsLeasedMoreThanOnce(db)).as("jobs whose lease was lost in a drain and leased again").isEmpty();
            assertThat(log.registrations()).as("robots drained while holding jobs registered again with them, resumed")
                    .anyMatch(r -> r.connection() > 1 && r.registered().resumed() != null && !r.registered().resumed().isEmpty());
        } finally {
            submitter.shutdownNow();
            for (ChildJvm instance : instances) {
                instance.close();
            }
            TestPostgres.dropDatabase(db);
        }
    }

    private static ChildJvm start(Path work, String db, int port) {
        List<String> args = new ArrayList<>(List.of(work.toString(), db));
        Map<String, String> env = new HashMap<>(SETTINGS);
        env.put("ORCHESTRATOR_PORT", Integer.toString(port));
        env.forEach((k, v) -> args.add(k + "=" + v));
        ChildJvm jvm = ChildJvm.start(OrchestratorProcess.class, args.toArray(String[]::new));
        jvm.awaitLineStartingWith(OrchestratorProcess.PORT_LINE);
        return jvm;
    }

    private static int port(ChildJvm jvm) {
        return Integer.parseInt(jvm.awaitLineStartingWith(OrchestratorProcess.PORT_LINE));
    }

    private String adminKey(String db) {
        Map<String, String> env = Map.of("DATABASE_URL", TestPostgres.url(db), "ORCHESTRATOR_SECRET_KEY", RunningOrchestrator.SECRET,
                "CASARE_DATA_DIR", workA.resolve("cli").toString());
        return CliHarness.orchestrator(env, workA, "create-api-key", "--name", "admin", "--role", "admin", "--json").out()
                .replaceAll("(?s).*\"key\" : \"([^\"]+)\".*", "$1");
    }

    /** A submission: its number (its idempotency key) and how many times it was tried. */
    private record Submission(int n, int tries) {}

    /**
     * One submission per tick: the oldest one not yet acknowledged (same idempotency key, so a
     * request that was committed but whose answer was lost is not a second job), each try to the
     * other instance.
     */
    private void submitNext(int[] ports, String workflowId, Map<String, String> admin) {
        Submission s = unacknowledged.pollFirst();
        if (s == null) {
            if (!submitting.get()) {
                return;
            }
            s = new Submission(submissions.getAndIncrement(), 0);
        }
        Http http = new Http(ports[(s.n() + s.tries()) % 2]);
        try {
            Http.Response r = http.post("/api/v1/jobs", "{\"workflow_id\":\"" + workflowId + "\",\"max_retries\":5,"
                    + "\"idempotency_key\":\"roll-" + s.n() + "\"}", admin);
            if (r.status() == 200 || r.status() == 201) {
                acknowledged.add(r.json().get("id").asText());
                return;
            }
        } catch (RuntimeException e) {
            // refused or cut by the instance that stops: tried again on the next tick
        }
        unacknowledged.addFirst(new Submission(s.n(), s.tries() + 1));
    }

    private List<String> notSucceeded(String db) throws Exception {
        List<String> pending = ids(db, "SELECT id FROM jobs WHERE state <> 'succeeded'");
        pending.retainAll(acknowledged);
        return pending;
    }

    private static List<String> jobsLeasedMoreThanOnce(String db) throws Exception {
        return ids(db, "SELECT job_id FROM job_attempts GROUP BY job_id HAVING count(*) > 1");
    }

    private static List<String> ids(String db, String sql) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = TestPostgres.connect(db); PreparedStatement q = c.prepareStatement(sql); ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
