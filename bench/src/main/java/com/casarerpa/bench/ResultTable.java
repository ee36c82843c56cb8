package com.casarerpa.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The figures of a run as a table, one column per database, then the pgbench baseline and the targets. */
final class ResultTable {
    static final double TARGET_JOBS_PER_SECOND = 1_000, AIM_JOBS_PER_SECOND = 5_000;
    static final double TARGET_P99_MS = 50, AIM_P99_MS = 20;

    private ResultTable() {}

    static void print(PrintStream out, BenchOptions o, Map<String, Object> facts, List<DatabaseRun.Result> runs,
            PgbenchBaseline.Result pgbench) {
        out.println();
        out.printf("CasareRPA benchmark, %s: %s cores, Java %s%n", facts.get("date"), facts.get("cores"), Runtime.version());
        out.printf("%s%n%n", String.join("; ", o.describe()));
        StringBuilder head = new StringBuilder(String.format("%-44s", ""));
        runs.forEach(r -> head.append(String.format("%14s", r.database())));
        out.println(head);
        boolean phases = runs.stream().allMatch(r -> r.throughput() != null);
        if (phases) {
            phaseRows(out, runs);
        }
        if (runs.stream().allMatch(r -> r.submits() != null)) {
            submitRows(out, runs);
        }
        out.println();
        if (!pgbench.ran()) {
            out.println("PostgreSQL alone (pgbench): skipped: " + pgbench.skipped().lines().findFirst().orElse(""));
        } else {
            out.printf("PostgreSQL alone (pgbench claim-and-complete, %d clients, %d s): %s jobs/s (3 commits each), %.2f ms per job%n",
                    pgbench.clients(), pgbench.seconds(), fmt(pgbench.tps(), 0), pgbench.latencyMs());
        }
        out.println();
        for (DatabaseRun.Result r : runs) {
            if (phases) {
                double jobs = r.throughput().jobsPerSecond(), p99 = r.latency().dispatchMs().p99();
                out.printf("Targets, %-9s %,6.0f jobs/s: %-8s (>= %,.0f; aim %,.0f)   p99 %5.1f ms: %-8s (<= %.0f; aim %.0f)%n",
                        r.database() + ":", jobs, verdict(jobs >= TARGET_JOBS_PER_SECOND, jobs >= AIM_JOBS_PER_SECOND),
                        TARGET_JOBS_PER_SECOND, AIM_JOBS_PER_SECOND, p99, verdict(p99 <= TARGET_P99_MS, p99 <= AIM_P99_MS),
                        TARGET_P99_MS, AIM_P99_MS);
            }
            if (r.submits() != null) {
                SubmitPhase.Result s = r.submits();
                boolean met = s.requestsPerSecond() >= SubmitPhase.TARGET_REQUESTS_PER_SECOND
                        && s.latencyMs().p99() < SubmitPhase.TARGET_P99_MS;
                out.printf("Single submits, %-9s %,6.0f requests/s, p99 %5.1f ms: %s (>= %,.0f requests/s with p99 < %.0f ms)%s%n",
                        r.database() + ":", s.requestsPerSecond(), s.latencyMs().p99(), met ? "met" : "NOT met",
                        SubmitPhase.TARGET_REQUESTS_PER_SECOND, SubmitPhase.TARGET_P99_MS,
                        pgbench.ran() ? String.format("; %.2fx pgbench", s.requestsPerSecond() / pgbench.tps()) : "");
            }
        }
    }

    private static void submitRows(PrintStream out, List<DatabaseRun.Result> runs) {
        row(out, "Single submits, " + runs.getFirst().submits().clients() + " clients (requests/s)", runs,
                r -> fmt(r.submits().requestsPerSecond(), 0));
        row(out, "  answered in the window", runs, r -> String.format("%,d", r.submits().requests()));
        row(out, "  round trip p50 / p99 (ms)", runs, r -> fmt(r.submits().latencyMs().p50(), 1) + " / "
                + fmt(r.submits().latencyMs().p99(), 1));
        row(out, "  round trip max (ms)", runs, r -> fmt(r.submits().latencyMs().max(), 1));
        row(out, "  database commits per submit", runs, r -> r.submits().commitsPerRequest() < 0 ? "n/a"
                : fmt(r.submits().commitsPerRequest(), 2));
        row(out, "  errors", runs, r -> Long.toString(r.submits().errors()));
    }

    private static void phaseRows(PrintStream out, List<DatabaseRun.Result> runs) {
        row(out, "Throughput, end to end (jobs/s)", runs, r -> fmt(r.throughput().jobsPerSecond(), 0));
        row(out, "  jobs completed in the window", runs, r -> String.format("%,d", r.throughput().completed()));
        row(out, "  submitted, all (jobs/s)", runs, r -> fmt(r.throughput().submittedPerSecond(), 0));
        row(out, "  single POST /jobs (requests/s)", runs, r -> fmt(r.throughput().singleSubmitsPerSecond(), 0));
        row(out, "  POST /jobs/batch (jobs/s)", runs, r -> fmt(r.throughput().batchedJobsPerSecond(), 0));
        row(out, "  database commits per job", runs, r -> r.throughput().commitsPerJob() < 0 ? "n/a"
                : fmt(r.throughput().commitsPerJob(), 2));
        row(out, "  errors (submit / robot)", runs, r -> r.throughput().submitErrors() + " / " + r.throughput().robotErrors());
        row(out, "Dispatch latency, 201 -> job_assign (ms)", runs, r -> "");
        row(out, "  p50", runs, r -> fmt(r.latency().dispatchMs().p50(), 1));
        row(out, "  p95", runs, r -> fmt(r.latency().dispatchMs().p95(), 1));
        row(out, "  p99", runs, r -> fmt(r.latency().dispatchMs().p99(), 1));
        row(out, "  max", runs, r -> fmt(r.latency().dispatchMs().max(), 1));
        row(out, "  samples (assign before 201 / lost)", runs, r -> String.format("%,d (%d/%d)", r.latency().dispatchMs().samples(),
                r.latency().assignedBeforeAnswer(), r.latency().unmatched()));
        row(out, "  send -> job_assign (upper bound) p50/p99", runs, r -> fmt(r.latency().sendToAssignMs().p50(), 1) + " / "
                + fmt(r.latency().sendToAssignMs().p99(), 1));
        row(out, "  database commits per job at this rate", runs, r -> r.latency().commitsPerJob() < 0 ? "n/a"
                : fmt(r.latency().commitsPerJob(), 2));
        row(out, "Submit round trip, POST /jobs (ms) p50/p99", runs, r -> fmt(r.latency().submitMs().p50(), 1) + " / "
                + fmt(r.latency().submitMs().p99(), 1));
        row(out, "Reads, one at a time (ms) p50/p99", runs, r -> "");
        for (String path : ReadsPhase.PATHS) {
            row(out, "  GET " + path.substring("/api/v1".length()), runs, r -> {
                LatencyPhase.Percentiles p = r.reads().readsMs().get(path);
                return fmt(p.p50(), 1) + " / " + fmt(p.p99(), 1);
            });
        }
    }

    static String verdict(boolean target, boolean aim) {
        return aim ? "aim met" : target ? "met" : "NOT met";
    }

    private static void row(PrintStream out, String label, List<DatabaseRun.Result> runs, Function<DatabaseRun.Result, String> value) {
        StringBuilder b = new StringBuilder(String.format("%-44s", label));
        runs.forEach(r -> b.append(String.format("%14s", value.apply(r))));
        out.println(b.toString().stripTrailing());
    }

    private static String fmt(double v, int decimals) {
        return String.format("%,." + decimals + "f", v);
    }
}
