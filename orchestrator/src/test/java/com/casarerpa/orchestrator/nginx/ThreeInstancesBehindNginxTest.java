package com.casarerpa.orchestrator.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.ChildJvm;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.EventStream;
import com.casarerpa.orchestrator.testing.ExactlyOnce;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.Nginx;
import com.casarerpa.orchestrator.testing.OrchestratorProcess;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.testing.Scrape;
import com.casarerpa.orchestrator.testing.SelfSignedCertificate;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.casarerpa.testkit.AutoRobot;
import com.casarerpa.testkit.RobotLog;
import com.casarerpa.testkit.RobotSetup;
import com.casarerpa.testkit.Robots;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The specification's horizontal scaling, with deploy/nginx/orchestrator-cluster.conf: three
 * instances on one PostgreSQL database behind Debian's nginx (TLS), a fleet of robots connected
 * through nginx and spread over all three, jobs submitted through nginx all along as a careful
 * client does (an idempotency key, the same request again after a 502 or 503). One instance is
 * stopped gracefully (it drains), then another is killed (SIGKILL, in a JVM of its own): each time
 * its robots reconnect through nginx to the instances left and resume their jobs, and in the end
 * every job submitted was acknowledged once and succeeded exactly once. On the way: a dashboard
 * session made through nginx counts on every instance, and the live feed through nginx shows the
 * changes of all three.
 */
@Tag("ops")
class ThreeInstancesBehindNginxTest {
    static final int ROBOTS = 9;
    static final Map<String, String> ENV = Map.of(
            "CASARE_ROBOTS_HEARTBEAT_INTERVAL_SECONDS", "1",
            "CASARE_ROBOTS_HEARTBEAT_TIMEOUT_SECONDS", "3",
            "CASARE_QUEUE_VISIBILITY_TIMEOUT_SECONDS", "10",
            "CASARE_QUEUE_RETRY_DELAY_SECONDS", "0",
            "CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "100000",
            "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "10000",
            // nginx on loopback is the trusted proxy: the client address and scheme come from its headers.
            "CASARE_TRUSTED_PROXIES", "127.0.0.1");
    /** How long robots may take to move; a drain alone may take 10 s (robots that do not close are closed then). */
    static final Duration MOVE = Duration.ofSeconds(45);

    @TempDir
    Path workA;
    @TempDir
    Path workB;
    @TempDir
    Path workC;
    @TempDir
    Path nginxDir;

    @Test
    void robots_move_through_nginx_when_an_instance_stops_or_dies_and_every_job_runs_exactly_once() throws Exception {
        String db = TestPostgres.createMigratedDatabase();
        RobotLog log = new RobotLog();
        List<String> childArgs = new ArrayList<>(List.of(workC.toString(), db));
        ENV.forEach((k, v) -> childArgs.add(k + "=" + v));
        SelfSignedCertificate certificate = SelfSignedCertificate.make(nginxDir);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (RunningOrchestrator a = RunningOrchestrator.postgresOn(workA, db, ENV);
                RunningOrchestrator b = RunningOrchestrator.postgresOn(workB, db, ENV);
                ChildJvm c = ChildJvm.start(OrchestratorProcess.class, childArgs.toArray(String[]::new));
                HttpClient client = certificate.client()) {
            int portC = Integer.parseInt(c.awaitLineStartingWith(OrchestratorProcess.PORT_LINE));
            Map<Integer, String> idOf = new LinkedHashMap<>();
            for (int port : List.of(a.orchestrator().port(), b.orchestrator().port(), portC)) {
                idOf.put(port, instanceId(port));
            }
            String idA = idOf.get(a.orchestrator().port());
            String idB = idOf.get(b.orchestrator().port());
            String idC = idOf.get(portC);

            List<Integer> ports = Nginx.freePorts(2);
            Map<String, String> replace = Nginx.onLoopback(nginxDir, certificate, ports.get(0), ports.get(1));
            replace.put("10.0.0.11:8000", "127.0.0.1:" + a.orchestrator().port());
            replace.put("10.0.0.12:8000", "127.0.0.1:" + b.orchestrator().port());
            replace.put("10.0.0.13:8000", "127.0.0.1:" + portC);
            try (Nginx nginx = Nginx.start(nginxDir, Nginx.site("orchestrator-cluster.conf", replace), ports)) {
                String base = "https://127.0.0.1:" + ports.get(0);
                Http api = new Http(base, client);
                CliHarness.Result made = CliHarness.orchestrator(a.env(), workA, "create-api-key", "--name", "admin", "--role", "admin",
                        "--json");
                assertThat(made.exitCode()).as(made.toString()).isZero();
                Map<String, String> admin = Map.of("X-API-Key", Json.mapper().readTree(made.out()).get("key").asText());
                String workflowId = created(api.post("/api/v1/workflows", "{\"name\":\"Greeting\",\"workflow_data\":"
                        + Samples.chain("greeting", "hello") + "}", admin)).get("id").asText();
                String fleetKey = created(api.post("/api/v1/api-keys", "{\"name\":\"Fleet\",\"role\":\"robot\"}", admin))
                        .get("key").asText();
                assertThat(api.get("/metrics", admin).status()).as("metrics are scraped from each instance, not through nginx")
                        .isEqualTo(404);

                try (Robots robots = new Robots(certificate.trust())) {
                    Map<String, AutoRobot> fleet = new LinkedHashMap<>();
                    URI wss = URI.create(base.replace("https://", "wss://") + "/ws/robots");
                    for (int i = 1; i <= ROBOTS; i++) {
                        fleet.put("fleet-" + i, robots.start(robot(fleetKey, "fleet-" + i, wss), log));
                    }
                    robots.registered().get(30, TimeUnit.SECONDS);
                    await("the fleet spread over the three instances").atMost(MOVE)
                            .until(() -> where(api, admin), w -> w.size() == ROBOTS && Set.copyOf(w.values()).equals(Set.of(idA, idB, idC)));
                    Map<String, String> spread = where(api, admin);

                    // A dashboard session made through nginx counts on every instance: it lives in the database.
                    String cookie = dashboardSession(api, made);
                    for (int port : idOf.keySet()) {
                        assertThat(new Http(port).get("/api/v1/auth/me", Map.of("Cookie", cookie)).status())
                                .as("the session cookie on the instance at " + port).isEqualTo(200);
                    }

                    Submitter submitter = new Submitter(api, admin, workflowId);
                    timer.scheduleWithFixedDelay(submitter, 0, 60, TimeUnit.MILLISECONDS);

                    // A stops gracefully while its robots hold jobs: it drains, they reconnect through nginx.
                    List<AutoRobot> onA = on(fleet, spread, idA);
                    try (EventStream feed = EventStream.open(client, URI.create(base + "/api/v1/events"), Map.of("Cookie", cookie))) {
                        assertThat(feed.status()).isEqualTo(200);
                        await("robots on A hold jobs, and the live feed through nginx shows every instance's changes").atMost(MOVE)
                                .until(() -> submitter.acknowledged().size() >= 20 && onA.stream().mapToInt(AutoRobot::holding).sum() >= 2
                                        && changesFrom(feed).equals(Set.of(idA, idB, idC)));
                    }
                    long stopping = System.nanoTime();
                    a.close();
                    await("the robots of A moved to B and C").atMost(MOVE)
                            .until(() -> where(api, admin), w -> w.size() == ROBOTS && Set.copyOf(w.values()).equals(Set.of(idB, idC)));
                    Duration movedFromA = Duration.ofNanos(System.nanoTime() - stopping);

                    // C dies while its robots hold jobs: they reconnect through nginx to B.
                    Map<String, String> beforeKill = where(api, admin);
                    List<AutoRobot> onC = on(fleet, beforeKill, idC);
                    int before = submitter.acknowledged().size();
                    await("robots on C hold jobs").atMost(MOVE).until(() -> submitter.acknowledged().size() >= before + 20
                            && onC.stream().mapToInt(AutoRobot::holding).sum() >= 2);
                    long killing = System.nanoTime();
                    c.kill();
                    await("the robots of C moved to B").atMost(MOVE)
                            .until(() -> where(api, admin), w -> w.size() == ROBOTS && Set.copyOf(w.values()).equals(Set.of(idB)));
                    Duration movedFromC = Duration.ofNanos(System.nanoTime() - killing);

                    int afterKill = submitter.acknowledged().size();
                    await("jobs flow on B alone").atMost(MOVE).until(() -> submitter.acknowledged().size() >= afterKill + 20);
                    timer.shutdown();
                    assertThat(timer.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
                    List<String> jobs = submitter.acknowledged();
                    await("every acknowledged job succeeded").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                            .until(() -> succeeded(db, jobs), n -> n == jobs.size());

                    assertThat(submitter.unexpected()).as("answers a client cannot retry").isEmpty();
                    assertThat(jobs).as("one job per submission, each acknowledged once").doesNotHaveDuplicates()
                            .hasSize(submitter.submissions());
                    assertThat(reclaimed(log, onA, fleet)).as("robots of A came back holding jobs and resumed them").isNotEmpty();
                    assertThat(reclaimed(log, onC, fleet)).as("robots of C came back holding jobs and resumed them").isNotEmpty();
                    robots.close();
                    ExactlyOnce.assertEveryJobSucceededExactlyOnce(db, jobs, log);
                    ExactlyOnce.assertNoJobRanTwiceAtOnce(log);
                    // A line per request nginx passed on to another instance ("upstream_status=503, 101").
                    long failedOver = nginx.accessLog().lines().filter(l -> l.matches(".*upstream_status=\\d+, .*")).count();
                    System.out.printf("three instances behind nginx: robots per instance %s; %d jobs acknowledged; retried"
                            + " submissions %s; %d requests failed over by nginx; robots of A moved in %d ms (graceful stop),"
                            + " of C in %d ms (SIGKILL)%n",
                            spread.values().stream().collect(Collectors.groupingBy(id -> id.equals(idA) ? "A" : id.equals(idB) ? "B" : "C",
                                    java.util.TreeMap::new, Collectors.counting())),
                            jobs.size(), submitter.retried(), failedOver, movedFromA.toMillis(), movedFromC.toMillis());
                    nginx.accessLog().lines().filter(l -> l.contains("/ws/robots")).forEach(System.out::println);
                }
            }
        } finally {
            timer.shutdownNow();
            TestPostgres.dropDatabase(db);
        }
    }

    /**
     * A robot that reconnects, with 2 slots, a heartbeat every second, and jobs of 0.5 to 1.5 s:
     * long enough that jobs it held when its instance went away are still running when it
     * registers again (what the test checks it resumes).
     */
    private static RobotSetup robot(String key, String id, URI server) {
        return new RobotSetup(key, List.of(server), id, null, "test-host", 2, null, true, Duration.ofSeconds(1),
                Duration.ofMillis(500), Duration.ofMillis(1500));
    }

    /** Jobs submitted one after another, each with its own idempotency key, sent again until acknowledged. */
    static final class Submitter implements Runnable {
        private final Http api;
        private final Map<String, String> admin;
        private final String body;
        private final List<String> acknowledged = new CopyOnWriteArrayList<>();
        private final List<String> unexpected = new CopyOnWriteArrayList<>();
        private final Map<String, Integer> retried = new java.util.concurrent.ConcurrentSkipListMap<>();
        private volatile int next;

        Submitter(Http api, Map<String, String> admin, String workflowId) {
            this.api = api;
            this.admin = admin;
            this.body = "{\"workflow_id\":\"" + workflowId + "\",\"max_retries\":5}";
        }

        @Override
        public void run() {
            Map<String, String> headers = new HashMap<>(admin);
            headers.put("Idempotency-Key", "behind-nginx-" + next);
            String outcome;
            try {
                Http.Response r = api.post("/api/v1/jobs", body, headers);
                if (r.status() == 201 || r.status() == 200) {
                    acknowledged.add(r.json().get("id").asText());
                    next++;
                    return;
                }
                if (r.status() != 502 && r.status() != 503 && r.status() != 504) {
                    unexpected.add(r.status() + " " + r.body());
                    next++;
                    return;
                }
                outcome = String.valueOf(r.status());
            } catch (UncheckedIOException e) {
                outcome = e.getCause().getClass().getSimpleName();
            } catch (RuntimeException e) {
                // Thrown out of run(), it would end the schedule without a word.
                unexpected.add(e.toString());
                return;
            }
            retried.merge(outcome, 1, Integer::sum);
        }

        List<String> acknowledged() {
            return List.copyOf(acknowledged);
        }

        int submissions() {
            return next;
        }

        List<String> unexpected() {
            return List.copyOf(unexpected);
        }

        Map<String, Integer> retried() {
            return Map.copyOf(retried);
        }
    }

    /** Signs in through nginx with the admin key made by {@code made}: the dashboard's session cookies, as a Cookie header. */
    private static String dashboardSession(Http api, CliHarness.Result made) throws Exception {
        String key = Json.mapper().readTree(made.out()).get("key").asText();
        Http.Response r = api.post("/api/v1/auth/login", "{\"api_key\":\"" + key + "\"}", Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.headers().allValues("Set-Cookie").stream().map(c -> c.substring(0, c.indexOf(';'))).collect(Collectors.joining("; "));
    }

    /** The instances whose changes the feed delivered so far. */
    private static Set<String> changesFrom(EventStream feed) {
        return feed.received().stream().filter(e -> e.event().equals("change")).map(e -> e.json().path("instance").asText())
                .collect(Collectors.toSet());
    }

    /** This instance's id, from its own /metrics (read directly, as Prometheus does: open to loopback). */
    private static String instanceId(int port) {
        Http.Response r = new Http(port).get("/metrics");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return Scrape.of(r.body()).find("casare_instance_info").getFirst().labels().get("instance_id");
    }

    /** Robot id to the instance its WebSocket is connected to, for the robots connected now (read through nginx). */
    private static Map<String, String> where(Http api, Map<String, String> admin) {
        Http.Response r = api.get("/api/v1/robots", admin);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        Map<String, String> out = new HashMap<>();
        for (JsonNode robot : r.json().get("items")) {
            if (robot.path("connection").asText().equals("connected")) {
                out.put(robot.get("id").asText(), robot.get("instance").asText());
            }
        }
        return out;
    }

    private static List<AutoRobot> on(Map<String, AutoRobot> fleet, Map<String, String> where, String instance) {
        return fleet.entrySet().stream().filter(e -> instance.equals(where.get(e.getKey()))).map(Map.Entry::getValue).toList();
    }

    /** The jobs that robots of {@code group} listed again (resumed or lost) when they registered on a later connection. */
    private static List<String> reclaimed(RobotLog log, Collection<AutoRobot> group, Map<String, AutoRobot> fleet) {
        return log.reclaimed(robot -> group.contains(fleet.get(robot)));
    }

    private static JsonNode created(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private static int succeeded(String db, List<String> jobs) throws Exception {
        try (Connection c = TestPostgres.connect(db);
                PreparedStatement s = c.prepareStatement("SELECT count(*) FROM jobs WHERE state = 'succeeded' AND id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("varchar", jobs.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
