package com.casarerpa.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one benchmark run does, from the command line. Every figure of the run depends on these,
 * so they are written into the JSON results as they were used.
 *
 * @param databases       {@code postgres}, {@code embedded}, or both (in that order)
 * @param robots          simulated robots, one WebSocket connection each
 * @param slots           {@code max_concurrent_jobs} of each robot
 * @param durationSeconds the measured part of the throughput phase
 * @param warmupSeconds   run before the throughput is measured (JIT, pools, caches)
 * @param rate            jobs per second submitted one by one in the latency phase
 * @param latencySeconds  how long the latency phase submits
 * @param batch           jobs per {@code POST /api/v1/jobs/batch} in the throughput phase
 * @param pgbenchSeconds  how long the pgbench baseline runs
 * @param pgbenchClients  pgbench client connections
 * @param json            where the results go
 * @param history         finished jobs written into the PostgreSQL database before the run ({@link HistoryFill}), 0: none
 * @param schedules       0, or: run only the schedules phase with this many every-minute schedules ({@link SchedulesRun})
 * @param instances       orchestrator instances of the schedules phase, on one PostgreSQL database
 * @param scheduleMinutes whole minutes of fires the schedules phase measures
 * @param storm           robots of the reconnect storm ({@link StormPhase}), run instead of the other phases; 0: none
 * @param fleet           robots of the fleet phase ({@link FleetPhase}) that runs instead of the others; 0: none
 * @param submitClients   clients of the single-submit phase ({@link SubmitPhase}); 0: the phase does not run
 * @param submitSeconds   its measured seconds
 * @param submitOnly      the single-submit phase without the throughput and latency phases
 */
record BenchOptions(List<String> databases, int robots, int slots, int durationSeconds, int warmupSeconds, int rate,
        int latencySeconds, int batch, int pgbenchSeconds, int pgbenchClients, Path json, boolean quick, int history,
        int schedules, int instances, int scheduleMinutes, int storm, int fleet,
        int submitClients, int submitSeconds, boolean submitOnly) {

    static final String USAGE = """
            usage: scripts/bench [options]
              --database postgres|embedded   one database only (default: both, PostgreSQL first)
              --robots N                     simulated WebSocket robots (default 20)
              --slots M                      max_concurrent_jobs of each robot (default 4)
              --duration S                   measured seconds of the throughput phase (default 60)
              --warmup S                     unmeasured seconds before it (default 20: the server's JIT
                                             needs about that long on 2 cores before the rate levels off)
              --rate R                       jobs/s submitted one by one in the latency phase (default 100)
              --latency-duration S           seconds of the latency phase (default 30)
              --batch B                      jobs per batch submit (default 100, at most 1000)
              --pgbench-duration S           seconds of the pgbench baseline (default 20)
              --pgbench-clients C            pgbench clients (default 4)
              --json FILE                    results as JSON (default bench-results.json)
              --quick                        a short smoke run: 10 s throughput, 5 s latency, 5 s pgbench
              --history N                    first write N finished jobs (with attempts and logs) into the
                                             PostgreSQL database, then run, and time the reads (job list,
                                             overview, failure groups) over them
              --submit-clients N             also a single-submit phase: N clients, each POST /api/v1/jobs one at a time
              --submit-duration S            its measured seconds (default 30; 5 with --quick)
              --submit-only                  only the single-submit phase (and pgbench); implies --submit-clients 32
              --fleet N                      instead of the phases above: N robots connected to one instance
                                             (heartbeats at the default interval, a few jobs: --rate, default 5/s);
                                             CPU, commits, heap, heartbeat ack, dispatch and /health latency
              --storm N                      instead: N robots hold a job each on instance A, A is killed, all
                                             reconnect to B; the time until every one is registered again
              --schedules N                  instead: N every-minute schedules on --instances K (default 3)
                                             instances of one PostgreSQL database for --schedule-minutes M
                                             (default 5); fires on time, early, doubled or skipped, and lag
            PostgreSQL: CASARE_BENCH_PG_HOST (127.0.0.1), CASARE_BENCH_PG_PORT (5432), CASARE_BENCH_PG_USER
            (postgres), CASARE_BENCH_PG_PASSWORD; the run creates and drops the databases casare_bench and
            casare_bench_pgbench (CASARE_BENCH_PG_DATABASE=casare_bench_x: casare_bench_x and casare_bench_x_pgbench).""";

    /** @throws IllegalArgumentException with a message for the user on a bad or unknown option */
    static BenchOptions parse(String[] args) {
        List<String> databases = List.of("postgres", "embedded");
        int robots = 20, slots = 4, rate = 100, batch = 100, pgClients = 4, history = 0;
        Integer duration = null, latency = null, pgSeconds = null, warmupSeconds = null;
        Path json = Path.of("bench-results.json");
        boolean quick = false, submitOnly = false;
        int schedules = 0, instances = 3, scheduleMinutes = 5;
        int storm = 0;
        int fleet = 0;
        Integer rateGiven = null;
        int submitClients = 0;
        Integer submitSeconds = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--database" -> {
                    String d = value(args, ++i, a);
                    if (!d.equals("postgres") && !d.equals("embedded")) {
                        throw new IllegalArgumentException("--database: postgres or embedded, got \"" + d + "\"");
                    }
                    databases = List.of(d);
                }
                case "--robots" -> robots = positive(args, ++i, a, 10_000);
                case "--slots" -> slots = positive(args, ++i, a, 256);
                case "--duration" -> duration = positive(args, ++i, a, 86_400);
                case "--warmup" -> warmupSeconds = positive(args, ++i, a, 3600);
                case "--rate" -> rateGiven = positive(args, ++i, a, 100_000);
                case "--latency-duration" -> latency = positive(args, ++i, a, 86_400);
                case "--batch" -> batch = positive(args, ++i, a, 1000);
                case "--pgbench-duration" -> pgSeconds = positive(args, ++i, a, 86_400);
                case "--pgbench-clients" -> pgClients = positive(args, ++i, a, 1000);
                case "--json" -> json = Path.of(value(args, ++i, a));
                case "--history" -> history = positive(args, ++i, a, 100_000_000);
                case "--schedules" -> schedules = positive(args, ++i, a, 100_000);
                case "--instances" -> instances = positive(args, ++i, a, 16);
                case "--schedule-minutes" -> scheduleMinutes = positive(args, ++i, a, 1440);
                case "--storm" -> storm = positive(args, ++i, a, 100_000);
                case "--fleet" -> fleet = positive(args, ++i, a, 50_000);
                case "--submit-clients" -> submitClients = positive(args, ++i, a, 1000);
                case "--submit-duration" -> submitSeconds = positive(args, ++i, a, 86_400);
                case "--submit-only" -> submitOnly = true;
                default -> throw new IllegalArgumentException("unknown option \"" + a + "\"");
            }
        }
        if (fleet > 0 && databases.size() > 1) {
            databases = List.of("postgres");
        }
        rate = rateGiven != null ? rateGiven : fleet > 0 ? 5 : rate;
        int d = duration != null ? duration : quick ? 10 : fleet > 0 ? 30 : 60;
        int warmup = warmupSeconds != null ? warmupSeconds : quick ? 2 : 20;
        int l = latency != null ? latency : quick ? 5 : 30;
        int p = pgSeconds != null ? pgSeconds : quick ? 5 : 20;
        if (submitOnly && submitClients == 0) {
            submitClients = 32;
        }
        int s = submitSeconds != null ? submitSeconds : quick ? 5 : 30;
        return new BenchOptions(databases, robots, slots, d, warmup, rate, l, batch, p, pgClients, json, quick, history,
                schedules, instances, scheduleMinutes, storm, fleet, submitClients, s, submitOnly);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String[] args, int i, String option, int max) {
        String v = value(args, i, option);
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + ": a whole number from 1 to " + max + ", got \"" + v + "\"");
    }

    List<String> describe() {
        List<String> lines = new ArrayList<>();
        if (fleet > 0) {
            lines.add("fleet of " + fleet + " robots, " + durationSeconds + " s of heartbeats alone, then " + durationSeconds
                    + " s with " + rate + " jobs/s");
            return lines;
        }
        if (schedules > 0) {
            return List.of(schedules + " every-minute schedules on " + instances + " instances for " + scheduleMinutes + " minutes");
        }
        if (!submitOnly) {
            lines.add(robots + " robots x " + slots + " slots, throughput " + durationSeconds + " s (+" + warmupSeconds
                    + " s warm-up, batches of " + batch + "), latency " + latencySeconds + " s at " + rate + " jobs/s");
        }
        if (submitClients > 0) {
            lines.add((submitOnly ? "only " : "") + "single submits: " + submitClients + " clients for " + submitSeconds + " s");
        }
        if (history > 0) {
            lines.add(String.format("history of %,d finished jobs (PostgreSQL only)", history));
        }
        return lines;
    }
}
