package com.casarerpa.bench;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code scripts/bench --schedules N [--instances K] [--schedule-minutes M]} (issue 16, "many
 * schedules"): K orchestrator instances on one fresh PostgreSQL database, N every-minute
 * schedules made through their APIs (round robin), then M whole minutes of fires. The figures
 * come from the database's fire history afterwards ({@link FireHistory}): fires expected and
 * made, early, doubled, skipped, and the lag. Every server setting but the pool size is the default, so
 * {@code max_concurrent_schedules} (100) holds back most of the jobs: no robot runs them, and
 * none may be dropped. Lag is measured on the machine's own clock, which the instances share.
 */
final class SchedulesRun {
    static final String DATABASE = "casare_bench_schedules";
    private static final String SECRET = "casare-bench-signing-key-not-for-production-use";
    /** After the last fire time of the window: time for its fires to commit before the count. */
    private static final Duration SETTLE = Duration.ofSeconds(20);
    static final long TARGET_LAG_P99_MS = 1_000;
    static final int POOL_SIZE = 8;

    private SchedulesRun() {}

    static void run(BenchOptions o, PostgresTarget pg, Path cliJar, Path work) throws Exception {
        Undo.Step dropped = pg.fresh(DATABASE);
        Map<String, String> env = Map.of("DATABASE_URL", pg.databaseUrl(DATABASE), "ORCHESTRATOR_SECRET_KEY", SECRET,
                // K instances at the default pool (20 + 10) would take most of a default PostgreSQL's 100
                // connections; the scheduler uses one at a time.
                "CASARE_DATABASE_POOL_SIZE", String.valueOf(POOL_SIZE), "CASARE_DATABASE_MAX_OVERFLOW", "0");
        List<ServerProcess> servers = new ArrayList<>();
        FireHistory h;
        try {
            Instant first;
            try {
                System.out.printf("%n== %d schedules, every minute, on %d instances (PostgreSQL %s) ==%n", o.schedules(),
                        o.instances(), pg.databaseUrl(DATABASE));
                startInstances(o.instances(), cliJar, work, env, servers);
                List<OrchestratorApi> apis = servers.stream().map(s -> new OrchestratorApi(s.baseUrl(), s.adminKey())).toList();
                String workflowId = apis.getFirst().deployNoopWorkflow();
                long start = System.nanoTime();
                createSchedules(apis, workflowId, o.schedules());
                System.out.printf("  %d schedules created in %.1f s%n", o.schedules(), (System.nanoTime() - start) / 1e9);

                // The window: whole minutes that begin after every schedule exists, so each fires in each.
                first = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
                Instant countAt = last(first, o).plus(SETTLE);
                System.out.printf("  measuring the fires of %s to %s (%d minutes); counting at %s%n", first, last(first, o),
                        o.scheduleMinutes(), countAt);
                sleepUntil(countAt);
            } finally {
                for (ServerProcess s : servers) {
                    s.close();
                }
            }
            try (Connection c = pg.connect(DATABASE)) {
                h = FireHistory.read(c, first, last(first, o), o.schedules(), o.scheduleMinutes());
            }
        } finally {
            dropped.close();
        }
        print(o, h);
        write(o, h, pg);
    }

    private static Instant last(Instant first, BenchOptions o) {
        return first.plus(Duration.ofMinutes(o.scheduleMinutes() - 1));
    }

    /** One after the other (the first creates the schema); each is in {@code started} as soon as it is up, to be stopped. */
    private static void startInstances(int k, Path cliJar, Path work, Map<String, String> env, List<ServerProcess> started)
            throws Exception {
        for (int i = 1; i <= k; i++) {
            started.add(ServerProcess.start(cliJar, Files.createDirectories(work.resolve("instance-" + i)), env));
            System.out.printf("  instance %d: pid %d at %s%n", i, started.getLast().pid(), started.getLast().baseUrl());
        }
    }

    /** {@code n} every-minute schedules, made through the instances in turn by a few concurrent clients. */
    private static void createSchedules(List<OrchestratorApi> apis, String workflowId, int n) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> made = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                OrchestratorApi api = apis.get(i % apis.size());
                String name = String.format("bench-every-minute-%05d", i);
                made.add(clients.submit(() -> api.createSchedule(name, workflowId, "* * * * *")));
            }
            for (Future<?> f : made) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private static void sleepUntil(Instant t) throws InterruptedException {
        long ms;
        while ((ms = Duration.between(Instant.now(), t).toMillis()) > 0) {
            Thread.sleep(Math.min(ms, 10_000));
        }
    }

    private static void print(BenchOptions o, FireHistory h) {
        System.out.printf("%n  Fires from the database's history (%d schedules x %d minutes, %d instances)%n", o.schedules(),
                o.scheduleMinutes(), o.instances());
        System.out.printf("    expected %d, recorded %d, with their job %d (held by max_concurrent_schedules %d),"
                + " skipped %d, missing %d%n", h.expected(), h.fires(), h.created(), h.held(), h.skipped(), h.missing());
        System.out.printf("    early %d, doubled %d: %s%n", h.early(), h.doubled(), h.exact() ? "every fire exactly once" : "NOT EXACT");
        System.out.printf("    lag (fired_at - scheduled_at): p50 %d ms, p99 %d ms, max %d ms (target p99 <= %d ms: %s)%n",
                h.lagP50Ms(), h.lagP99Ms(), h.lagMaxMs(), TARGET_LAG_P99_MS, h.lagP99Ms() <= TARGET_LAG_P99_MS ? "met" : "missed");
        System.out.printf("    schedule jobs at the end: %d active (the bound), %d waiting for it (no robots ran them)%n",
                h.jobsActive(), h.jobsHeld());
    }

    private static void write(BenchOptions o, FireHistory h, PostgresTarget pg) throws Exception {
        var mapper = Json.mapper();
        ObjectNode root = mapper.createObjectNode();
        root.set("machine", mapper.valueToTree(MachineFacts.collect(pg, true)));
        root.putObject("options").put("schedules", o.schedules()).put("instances", o.instances())
                .put("minutes", o.scheduleMinutes()).put("cron", "* * * * *");
        root.set("schedules", mapper.valueToTree(h));
        root.put("exact", h.exact()).put("lag_p99_target_met", h.lagP99Ms() <= TARGET_LAG_P99_MS);
        mapper.writerWithDefaultPrettyPrinter().writeValue(o.json().toFile(), root);
        System.out.printf("%nResults written to %s%n", o.json().toAbsolutePath());
    }
}
