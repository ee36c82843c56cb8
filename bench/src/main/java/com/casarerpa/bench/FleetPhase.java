package com.casarerpa.bench;

import com.casarerpa.testkit.AutoRobot;
import com.casarerpa.testkit.RobotSetup;
import com.casarerpa.testkit.Robots;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code scripts/bench --fleet N} (issue 16, "a big fleet"): one orchestrator with N connected
 * robots (the test kit's automatic robots, one slot each, real WebSocket connections over
 * loopback, heartbeats at the interval the server gives). Connected in waves and all registered
 * first; then measured twice for {@code --duration} seconds each: with heartbeats alone, and with
 * {@code --rate} single submits a second flowing through them. Each window prints the CPU of the
 * server process and of the database's PostgreSQL backends (from {@code /proc/<pid>/stat}, in
 * cores), commits per second ({@code pg_stat_database}), {@code GET /health} round trips (10 a
 * second, one at a time), heartbeat round trips (heartbeat sent → its ack read), and in the
 * second window dispatch latency as the latency phase measures it (201 → {@code job_assign}).
 * At the end the server's heap after a full GC ({@code jcmd GC.heap_info}).
 */
final class FleetPhase {
    private static final int WAVE = 100;
    private static final Duration WAVE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SETTLE = Duration.ofSeconds(15);
    private static final Pattern HEAP_USED = Pattern.compile("committed (\\d+)K, used (\\d+)K");

    private FleetPhase() {}

    static void run(BenchOptions o, PostgresTarget pg, Path cliJar, Path work) throws Exception {
        String database = o.databases().getFirst();
        boolean postgres = database.equals("postgres");
        Path workDir = Files.createDirectories(work.resolve("fleet-" + database));
        Map<String, String> env = Map.of();
        Undo.Step dropped = postgres ? pg.fresh(DatabaseRun.DATABASE) : null;
        if (postgres) {
            env = Map.of("DATABASE_URL", pg.databaseUrl(DatabaseRun.DATABASE), "ORCHESTRATOR_SECRET_KEY", DatabaseRun.SECRET);
        }
        try (ServerProcess server = ServerProcess.start(cliJar, workDir, env)) {
            OrchestratorApi admin = new OrchestratorApi(server.baseUrl(), server.adminKey());
            String workflowId = admin.deployNoopWorkflow();
            OrchestratorApi operator = admin.withKey(admin.createKey("bench producer", "operator"));
            String fleetKey = admin.createKey("bench fleet", "robot");
            System.out.printf("%n== fleet of %,d robots on %s ==%n  server pid %d at %s%n", o.fleet(), database, server.pid(),
                    server.baseUrl());
            Counters counters = new Counters();
            try (Robots robots = new Robots()) {
                connect(robots, counters, server.baseUrl(), fleetKey, o.fleet());
                System.out.printf("  all registered; settling %d s (heartbeats spread out)%n", SETTLE.toSeconds());
                Thread.sleep(SETTLE.toMillis());
                Probe probe = new Probe(server, pg, postgres ? DatabaseRun.DATABASE : null);
                Window idle = measure("heartbeats alone", o.durationSeconds(), probe, counters);
                Window busy = measureWithJobs(o, probe, counters, operator, workflowId);
                String heap = heapAfterGc(server.pid());
                print(o, database, idle, busy, heap, counters);
            }
            List<String> warnings = server.warnings();
            if (!warnings.isEmpty()) {
                System.out.printf("The server logged %d warning(s), e.g.: %s%n", warnings.size(), warnings.getFirst());
            }
        } finally {
            if (dropped != null) {
                dropped.close();
            }
        }
    }

    /**
     * Starts the robots in waves of {@link #WAVE}, each wave registered before the next starts
     * (registering faster is issue 16's reconnect-storm target, not measured here).
     */
    private static void connect(Robots robots, Counters counters, String baseUrl, String fleetKey, int n) throws Exception {
        URI uri = URI.create(baseUrl.replaceFirst("^http", "ws") + "/ws/robots");
        long start = System.nanoTime();
        for (int from = 1; from <= n; from += WAVE) {
            List<AutoRobot> wave = new ArrayList<>();
            for (int i = from; i < from + WAVE && i <= n; i++) {
                // Reconnecting: a register refused while the server is busy (1013) is tried again.
                wave.add(robots.start(new RobotSetup(fleetKey, List.of(uri), null, "fleet-robot-" + i, "fleet-host", 1,
                        "casare-bench", true, null, Duration.ZERO, Duration.ZERO), counters));
            }
            CompletableFuture.allOf(wave.stream().map(AutoRobot::ready).toArray(CompletableFuture[]::new))
                    .get(WAVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            int done = Math.min(n, from + WAVE - 1);
            if (done % 2000 == 0 || done == n) {
                System.out.printf("  %,6d registered (%.0f robots/s)%n", done, done / ((System.nanoTime() - start) / 1e9));
            }
        }
    }

    private static Window measureWithJobs(BenchOptions o, Probe probe, Counters counters, OrchestratorApi api, String workflowId)
            throws Exception {
        DispatchLatency latency = new DispatchLatency();
        counters.latency = latency;
        LongAdder submitErrors = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        Thread submitter = Thread.ofPlatform().daemon().name("fleet-submitter").start(() -> {
            long interval = 1_000_000_000L / o.rate();
            long next = System.nanoTime();
            while (!stop.get()) {
                api.submitAsync(workflowId).whenComplete((r, e) -> {
                    if (e != null || r.statusCode() != 201) {
                        submitErrors.increment();
                    } else {
                        latency.committed(OrchestratorApi.jobId(r.body()), 0, System.nanoTime());
                    }
                });
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
        Window w;
        try {
            w = measure(o.rate() + " jobs/s", o.durationSeconds(), probe, counters);
        } finally {
            stop.set(true);
            submitter.join();
        }
        long settle = System.nanoTime();
        while (latency.unmatched() > 0 && System.nanoTime() - settle < TimeUnit.SECONDS.toNanos(15)) {
            Thread.sleep(10);
        }
        counters.latency = null;
        return w.withDispatch(LatencyPhase.Percentiles.ofMicros(latency.fromAnswer()), latency.unmatched(), submitErrors.sum());
    }

    /**
     * @param serverCores  CPU of the server process over the window, in cores
     * @param backendCores CPU of the database's PostgreSQL backends, in cores (-1: not measured)
     * @param commitsPerSecond PostgreSQL commits a second in the database (-1: not measured)
     */
    record Window(String label, double seconds, double serverCores, double backendCores, double commitsPerSecond,
            LatencyPhase.Percentiles healthMs, long healthErrors, LatencyPhase.Percentiles heartbeatMs,
            LatencyPhase.Percentiles dispatchMs, int unmatched, long submitErrors) {
        Window withDispatch(LatencyPhase.Percentiles dispatch, int unmatched, long submitErrors) {
            return new Window(label, seconds, serverCores, backendCores, commitsPerSecond, healthMs, healthErrors, heartbeatMs,
                    dispatch, unmatched, submitErrors);
        }
    }

    private static Window measure(String label, int seconds, Probe probe, Counters counters) throws Exception {
        System.out.printf("  measuring %d s: %s...%n", seconds, label);
        counters.heartbeats.reset();
        Probe.Mark from = probe.mark();
        Histogram health = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        long errors = 0;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(probe.server.baseUrl() + "/health")).timeout(Duration.ofSeconds(30))
                .GET().build();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            long sent = System.nanoTime();
            try {
                HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 200) {
                    errors++;
                }
            } catch (IOException e) {
                errors++;
            }
            long took = System.nanoTime() - sent;
            health.recordValue(Math.min(took / 1000, health.getHighestTrackableValue()));
            long wait = TimeUnit.MILLISECONDS.toNanos(100) - took;
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000);
            }
        }
        Probe.Mark to = probe.mark();
        double elapsed = (to.nanos() - from.nanos()) / 1e9;
        return new Window(label, elapsed, to.serverCores(from), to.backendCores(from), to.commitsPerSecond(from),
                LatencyPhase.Percentiles.ofMicros(health), errors,
                LatencyPhase.Percentiles.ofMicros(counters.heartbeats.getIntervalHistogram()), null, 0, 0);
    }

    /** CPU time of the server and the database's backends, and the database's commits, at one instant. */
    private static final class Probe {
        private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux
        final ServerProcess server;
        private final PostgresTarget pg;
        private final String database;

        Probe(ServerProcess server, PostgresTarget pg, String database) {
            this.server = server;
            this.pg = pg;
            this.database = database;
        }

        record Mark(long nanos, long serverTicks, Map<Long, Long> backendTicks, long commits) {
            double serverCores(Mark from) {
                return (serverTicks - from.serverTicks) / TICKS_PER_SECOND / ((nanos - from.nanos) / 1e9);
            }

            /** Backends seen at both marks, plus those started between (counted from zero). */
            double backendCores(Mark from) {
                if (backendTicks.isEmpty()) {
                    return -1;
                }
                long ticks = 0;
                for (Map.Entry<Long, Long> e : backendTicks.entrySet()) {
                    ticks += e.getValue() - from.backendTicks.getOrDefault(e.getKey(), 0L);
                }
                return ticks / TICKS_PER_SECOND / ((nanos - from.nanos) / 1e9);
            }

            double commitsPerSecond(Mark from) {
                return commits < 0 || from.commits < 0 ? -1 : (commits - from.commits) / ((nanos - from.nanos) / 1e9);
            }
        }

        Mark mark() {
            long serverTicks = ticks(server.pid());
            Map<Long, Long> backends = new HashMap<>();
            long commits = -1;
            if (database != null) {
                for (long pid : pg.backends(database)) {
                    long t = ticks(pid);
                    if (t >= 0) {
                        backends.put(pid, t);
                    }
                }
                commits = pg.commits(database);
            }
            return new Mark(System.nanoTime(), serverTicks, backends, commits);
        }

        /** utime + stime of a process from {@code /proc/<pid>/stat}; -1 when it cannot be read. */
        static long ticks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    }

    /** The server's heap after a full collection, as {@code jcmd GC.heap_info} tells it. */
    private static String heapAfterGc(long pid) {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        try {
            run(jcmd.toString(), String.valueOf(pid), "GC.run");
            String info = run(jcmd.toString(), String.valueOf(pid), "GC.heap_info");
            Matcher m = HEAP_USED.matcher(info);
            return m.find() ? String.format("%.0f MiB used of %.0f MiB committed", Long.parseLong(m.group(2)) / 1024.0,
                    Long.parseLong(m.group(1)) / 1024.0) : "not measured: " + info.strip();
        } catch (IOException | RuntimeException e) {
            return "not measured: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "not measured";
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
        }
        return out;
    }

    private static void print(BenchOptions o, String database, Window idle, Window busy, String heap, Counters counters) {
        System.out.printf("%n== fleet of %,d robots on %s (a shared machine: rough figures) ==%n", o.fleet(), database);
        System.out.printf("  %-34s %18s %18s%n", "", idle.label(), busy.label());
        row("server CPU (cores)", "%.2f", idle.serverCores(), busy.serverCores());
        row("PostgreSQL backends CPU (cores)", "%.2f", idle.backendCores(), busy.backendCores());
        row("commits/s", "%.0f", idle.commitsPerSecond(), busy.commitsPerSecond());
        row("/health p50 ms", "%.1f", idle.healthMs().p50(), busy.healthMs().p50());
        row("/health p99 ms", "%.1f", idle.healthMs().p99(), busy.healthMs().p99());
        row("heartbeat ack p50 ms", "%.1f", idle.heartbeatMs().p50(), busy.heartbeatMs().p50());
        row("heartbeat ack p99 ms", "%.1f", idle.heartbeatMs().p99(), busy.heartbeatMs().p99());
        row("heartbeats/s", "%.0f", idle.heartbeatMs().samples() / idle.seconds(), busy.heartbeatMs().samples() / busy.seconds());
        System.out.printf("  dispatch (201 -> job_assign) ms: p50 %.1f  p99 %.1f  max %.1f  (%d jobs, %d never assigned, %d"
                        + " submit errors)%n", busy.dispatchMs().p50(), busy.dispatchMs().p99(), busy.dispatchMs().max(),
                busy.dispatchMs().samples(), busy.unmatched(), busy.submitErrors());
        System.out.printf("  server heap after a full GC: %s%n", heap);
        System.out.printf("  robot errors: %d; /health errors: %d + %d%n", counters.errors.sum(), idle.healthErrors(),
                busy.healthErrors());
    }

    private static void row(String label, String format, double a, double b) {
        System.out.printf("  %-34s %18s %18s%n", label, a < 0 ? "-" : String.format(format, a), b < 0 ? "-" : String.format(format, b));
    }

    /** What the robots tell: heartbeat round trips, assignments (for dispatch latency), errors. */
    private static final class Counters implements com.casarerpa.testkit.RobotEvents {
        final Recorder heartbeats = new Recorder(TimeUnit.MINUTES.toMicros(5), 3);
        final LongAdder errors = new LongAdder();
        volatile DispatchLatency latency;

        @Override
        public void heartbeatAcked(String robot, long nanos) {
            heartbeats.recordValue(Math.min(nanos / 1000, TimeUnit.MINUTES.toMicros(5)));
        }

        @Override
        public void assigned(String robot, String jobId, long nanos) {
            DispatchLatency l = latency;
            if (l != null) {
                l.assigned(jobId, nanos);
            }
        }

        @Override
        public void error(String what) {
            errors.increment();
            if (errors.sum() <= 5) {
                System.err.println("  robot error: " + what);
            }
        }
    }
}
