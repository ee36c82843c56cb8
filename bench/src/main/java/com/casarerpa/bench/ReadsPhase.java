package com.casarerpa.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The reads an operator makes while the queue runs, timed one after the other through the API
 * after the latency phase: the job list's first page (all jobs, and failed ones), the
 * dashboard's overview and its failure groups. With {@code --history} they show what a big
 * history costs them, against a run without it.
 */
final class ReadsPhase {
    static final int WARMUP = 10;
    static final int REQUESTS = 100;
    static final List<String> PATHS = List.of("/api/v1/jobs?limit=50", "/api/v1/jobs?state=failed&limit=50",
            "/api/v1/overview", "/api/v1/jobs/failure-groups");

    /** Each read's round trip in ms, by path. */
    record Result(Map<String, LatencyPhase.Percentiles> readsMs) {}

    private ReadsPhase() {}

    static Result run(String database, OrchestratorApi api) throws IOException, InterruptedException {
        Map<String, LatencyPhase.Percentiles> out = new LinkedHashMap<>();
        System.out.printf("  [%s] reads: %d of each of %d API reads, one at a time%n", database, REQUESTS, PATHS.size());
        for (String path : PATHS) {
            Histogram h = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
            for (int i = 0; i < WARMUP + REQUESTS; i++) {
                long start = System.nanoTime();
                HttpResponse<String> r = api.get(path);
                long micros = (System.nanoTime() - start) / 1_000;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
                }
                if (i >= WARMUP) {
                    h.recordValue(Math.max(1, micros));
                }
            }
            LatencyPhase.Percentiles p = LatencyPhase.Percentiles.ofMicros(h);
            out.put(path, p);
            System.out.printf("  [%s]   %-40s p50 %6.1f ms  p99 %6.1f ms%n", database, path, p.p50(), p.p99());
        }
        return new Result(out);
    }
}
