package com.casarerpa.bench;

import com.casarerpa.common.json.Json;
import com.casarerpa.protocol.ws.ServerMessage;
import com.casarerpa.testkit.AutoRobot;
import com.casarerpa.testkit.RobotEvents;
import com.casarerpa.testkit.RobotSetup;
import com.casarerpa.testkit.Robots;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * {@code scripts/bench --storm N}: a reconnect storm on PostgreSQL (issue 16, target 5). Two
 * orchestrator instances on one database: A (the benchmark's raised rate limits, only there to
 * be killed) and B (the default configuration). N robots of one fleet key register on A and
 * each takes a job that runs for an hour (a lease); then A is killed with SIGKILL, and every
 * robot reconnects to B as a robot does (its own backoff), registering with the job it holds.
 * Measured on B from the kill on: the time until every robot is registered again, the
 * registrations per second, the leases resumed, the handshakes refused (by HTTP status) and
 * the registrations refused, and the {@code /health} round trip (polled every 100 ms).
 */
final class StormPhase {
    /** Its own database, so that a storm and another benchmark run at the same time do not drop each other's. */
    static final String DATABASE = "casare_bench_storm";
    private static final Duration HOLD = Duration.ofHours(1);
    private static final Duration CONNECT_WAIT = Duration.ofMinutes(15);
    private static final Duration STORM_WAIT = Duration.ofMinutes(15);
    private static final Duration ASSIGN_STALL = Duration.ofSeconds(60);
    /** The settings that make B run with the defaults: the benchmark's raised limits undone. */
    private static final Map<String, String> DEFAULT_LIMITS = Map.of(
            "CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "100",
            "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "20",
            "CASARE_ROBOTS_RATE_LIMIT_MESSAGES_PER_SECOND", "200",
            "CASARE_ROBOTS_RATE_LIMIT_BURST", "1000");

    /**
     * @param onKilledInstance    robots registered on A when it was killed (the others were refused there and went to B)
     * @param leasesHeld          jobs the robots held when A was killed
     * @param seconds             SIGKILL of A → the last of them registered on B (-1: not all within the wait)
     * @param perSecond           registrations on B in each second after the kill
     * @param resumed             leases B resumed in those registrations
     * @param lost                leases B said were lost
     * @param handshakesRefused   refused handshakes by HTTP status (0: no answer, A's closed port)
     * @param registerErrors      {@code error} answers to register (after which the robot reconnects)
     * @param healthMs            B's {@code /health} round trips during the storm
     * @param healthFailures      {@code /health} answers other than 200, or none within 10 s
     */
    record Result(int robots, int onKilledInstance, int leasesHeld, double connectSeconds, double seconds, int registered,
            List<Long> perSecond, long resumed, long lost, Map<Integer, Long> handshakesRefused, long registerErrors,
            LatencyPhase.Percentiles healthMs, long healthFailures, List<String> serverWarnings) {}

    private StormPhase() {}

    static Result run(BenchOptions o, PostgresTarget pg, Path cliJar, Path work) throws Exception {
        int n = o.storm();
        Undo.Step dropped = pg.fresh(DATABASE);
        Map<String, String> db = Map.of("DATABASE_URL", pg.databaseUrl(DATABASE), "ORCHESTRATOR_SECRET_KEY",
                DatabaseRun.SECRET);
        Map<String, String> defaults = new java.util.HashMap<>(db);
        defaults.putAll(DEFAULT_LIMITS);
        System.out.printf("%n== reconnect storm: %,d robots, PostgreSQL ==%n", n);
        try (ServerProcess a = ServerProcess.start(cliJar, Files.createDirectories(work.resolve("a")), db);
                ServerProcess b = ServerProcess.start(cliJar, Files.createDirectories(work.resolve("b")), defaults)) {
            OrchestratorApi admin = new OrchestratorApi(a.baseUrl(), a.adminKey());
            String workflowId = admin.deployNoopWorkflow();
            OrchestratorApi operator = admin.withKey(admin.createKey("storm producer", "operator"));
            String fleetKey = admin.createKey("storm fleet", "robot");
            URI wsA = URI.create(a.baseUrl().replaceFirst("^http", "ws") + "/ws/robots");
            URI wsB = URI.create(b.baseUrl().replaceFirst("^http", "ws") + "/ws/robots");
            System.out.printf("  A (pid %d, raised limits) at %s, B (pid %d, default limits) at %s%n", a.pid(), a.baseUrl(),
                    b.pid(), b.baseUrl());
            Counters counters = new Counters();
            try (Robots robots = new Robots()) {
                long connectStart = System.nanoTime();
                for (int i = 1; i <= n; i++) {
                    robots.start(new RobotSetup(fleetKey, List.of(wsA, wsB), "storm-" + i, null, "storm-host", 1, "casare-bench",
                            true, null, HOLD, HOLD), counters);
                }
                robots.registered().get(CONNECT_WAIT.toSeconds(), TimeUnit.SECONDS);
                double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
                System.out.printf("  %,d robots registered in %.1f s; submitting %,d jobs that run for an hour...%n", n,
                        connectSeconds, n);
                for (int left = n; left > 0; left -= 1000) {
                    var r = operator.submitBatch(OrchestratorApi.batchBody(workflowId, Math.min(1000, left)));
                    if (r.statusCode() != 201) {
                        throw new IllegalStateException("batch submit answered " + r.statusCode() + ": " + r.body());
                    }
                }
                awaitAssigned(robots, n);
                int port = URI.create(a.baseUrl()).getPort();
                int onA = (int) robots.all().stream().filter(r -> r.connectedPort() == port).count();
                int held = robots.all().stream().mapToInt(AutoRobot::holding).sum();
                System.out.printf("  %,d robots on A holding %,d jobs; killing A (SIGKILL)...%n", onA, held);
                HealthPoller health = new HealthPoller(b.baseUrl());
                long killed = System.nanoTime();
                counters.since(killed);
                ProcessHandle.of(a.pid()).ifPresent(ProcessHandle::destroyForcibly);
                Thread poller = Thread.ofPlatform().daemon().name("storm-health").start(health);
                double seconds = awaitStorm(counters, onA, killed);
                health.stop();
                poller.join();
                Result result = new Result(n, onA, held, connectSeconds, seconds, (int) counters.registered.sum(),
                        counters.perSecond(killed), counters.resumed.sum(), counters.lost.sum(), counters.refusedByStatus(),
                        counters.registerErrors.sum(), LatencyPhase.Percentiles.ofMicros(health.micros), health.failures.sum(),
                        b.warnings());
                print(result);
                write(o.json(), result);
                return result;
            }
        } finally {
            dropped.close();
        }
    }

    private static void awaitAssigned(Robots robots, int jobs) throws InterruptedException {
        int last = -1;
        long lastChange = System.nanoTime();
        while (true) {
            int held = robots.all().stream().mapToInt(AutoRobot::holding).sum();
            if (held >= jobs) {
                return;
            }
            if (held != last) {
                last = held;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > ASSIGN_STALL.toNanos()) {
                System.out.printf("  only %,d of %,d jobs assigned after %d s without progress; going on%n", held, jobs,
                        ASSIGN_STALL.toSeconds());
                return;
            }
            Thread.sleep(200);
        }
    }

    /** Seconds from the kill until {@code expected} robots registered again, -1 when they did not within the wait. */
    private static double awaitStorm(Counters counters, int expected, long killed) throws InterruptedException {
        long nextReport = killed + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() - killed < STORM_WAIT.toNanos()) {
            long done = counters.registered.sum();
            if (done >= expected) {
                return (counters.last - killed) / 1e9;
            }
            if (System.nanoTime() > nextReport) {
                System.out.printf("  +%3d s: %,d of %,d registered on B, %,d handshakes refused, %,d register errors%n",
                        (System.nanoTime() - killed) / 1_000_000_000L, done, expected,
                        counters.refusedByStatus().values().stream().mapToLong(Long::longValue).sum(), counters.registerErrors.sum());
                nextReport += TimeUnit.SECONDS.toNanos(5);
            }
            Thread.sleep(50);
        }
        return -1;
    }

    private static void print(Result r) {
        System.out.printf("%n  Reconnect storm: %,d robots on the killed instance, %,d leases held%n", r.onKilledInstance(),
                r.leasesHeld());
        System.out.printf("    all registered on B after   %s (target: 60 s)%n",
                r.seconds() < 0 ? "NOT within " + STORM_WAIT.toSeconds() + " s (" + r.registered() + " did)"
                        : String.format("%.1f s", r.seconds()));
        System.out.printf("    leases resumed / lost       %,d / %,d%n", r.resumed(), r.lost());
        System.out.printf("    registrations per second    %s%n", r.perSecond());
        System.out.printf("    handshakes refused          %s (HTTP status: count; 0 = A's closed port)%n", r.handshakesRefused());
        System.out.printf("    register errors             %,d%n", r.registerErrors());
        LatencyPhase.Percentiles h = r.healthMs();
        System.out.printf("    B's /health                 p50 %.1f ms, p99 %.1f ms, max %.1f ms (%,d polls, %,d failed)%n", h.p50(),
                h.p99(), h.max(), h.samples(), r.healthFailures());
        if (!r.serverWarnings().isEmpty()) {
            System.out.printf("    B logged %d warning(s), e.g.: %s%n", r.serverWarnings().size(), r.serverWarnings().getFirst());
        }
    }

    private static void write(Path file, Result r) throws IOException {
        var mapper = Json.mapper();
        ObjectNode root = mapper.createObjectNode();
        root.set("storm", mapper.valueToTree(r));
        root.put("target_seconds", 60);
        root.put("target_met", r.seconds() >= 0 && r.seconds() <= 60);
        mapper.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        System.out.printf("%nResults written to %s%n", file.toAbsolutePath());
    }

    /** What the robots tell, counted from the kill on. */
    private static final class Counters implements RobotEvents {
        final LongAdder registered = new LongAdder();
        final LongAdder resumed = new LongAdder();
        final LongAdder lost = new LongAdder();
        final LongAdder registerErrors = new LongAdder();
        final ConcurrentLinkedQueue<Long> times = new ConcurrentLinkedQueue<>();
        final ConcurrentHashMap<Integer, LongAdder> refused = new ConcurrentHashMap<>();
        volatile long since = Long.MAX_VALUE;
        volatile long last;

        void since(long nanos) {
            since = nanos;
        }

        @Override
        public void registered(String robot, int connection, ServerMessage.Registered r) {
            long now = System.nanoTime();
            if (now < since) {
                return;
            }
            times.add(now);
            last = now;
            resumed.add(r.resumed() == null ? 0 : r.resumed().size());
            lost.add(r.lost() == null ? 0 : r.lost().size());
            registered.increment();
        }

        @Override
        public void connectRefused(String robot, int status) {
            if (System.nanoTime() >= since) {
                refused.computeIfAbsent(status, s -> new LongAdder()).increment();
            }
        }

        @Override
        public void error(String what) {
            if (System.nanoTime() >= since && !what.startsWith("connection of")) {
                registerErrors.increment();
            }
        }

        Map<Integer, Long> refusedByStatus() {
            Map<Integer, Long> m = new TreeMap<>();
            refused.forEach((k, v) -> m.put(k, v.sum()));
            return m;
        }

        List<Long> perSecond(long from) {
            TreeMap<Long, Long> bySecond = new TreeMap<>();
            for (long t : times) {
                bySecond.merge((t - from) / 1_000_000_000L, 1L, Long::sum);
            }
            long lastSecond = bySecond.isEmpty() ? -1 : bySecond.lastKey();
            List<Long> out = new java.util.ArrayList<>();
            for (long s = 0; s <= lastSecond; s++) {
                out.add(bySecond.getOrDefault(s, 0L));
            }
            return out;
        }
    }

    /** Polls {@code /health} every 100 ms, one request at a time, until stopped. */
    private static final class HealthPoller implements Runnable {
        final Histogram micros = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        final LongAdder failures = new LongAdder();
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        private final HttpRequest request;
        private volatile boolean stopped;

        HealthPoller(String baseUrl) {
            request = HttpRequest.newBuilder(URI.create(baseUrl + "/health")).timeout(Duration.ofSeconds(10)).build();
        }

        void stop() {
            stopped = true;
        }

        @Override
        public void run() {
            while (!stopped) {
                long start = System.nanoTime();
                try {
                    HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() != 200) {
                        failures.increment();
                    }
                } catch (IOException e) {
                    failures.increment();
                } catch (InterruptedException e) {
                    return;
                }
                long took = System.nanoTime() - start;
                micros.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(took), micros.getHighestTrackableValue()));
                long sleep = TimeUnit.MILLISECONDS.toNanos(100) - took;
                if (sleep > 0) {
                    try {
                        Thread.sleep(Duration.ofNanos(sleep));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }
}
