package com.casarerpa.bench;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Phase 2: single submits at a fixed rate, sent on schedule whether or not earlier ones were
 * answered (open loop, so a slow answer cannot hide the delay it causes), with every slot free.
 * Measures dispatch latency ({@link DispatchLatency}: the submitter has the 201 → a robot has
 * the {@code job_assign}) and, beside it, the submit's own round trip.
 */
final class LatencyPhase {
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(15);

    record Percentiles(double p50, double p95, double p99, double p999, double max, double mean, long samples) {
        static Percentiles ofMicros(Histogram h) {
            return new Percentiles(ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)),
                    ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()),
                    h.getTotalCount() == 0 ? 0 : h.getMean() / 1000.0, h.getTotalCount());
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }
    }

    /**
     * @param dispatchMs            201 received → job_assign received, in ms (the figure; a lower bound)
     * @param sendToAssignMs        request sent → job_assign received, in ms (an upper bound)
     * @param submitMs              request sent → 201 received, in ms
     * @param assignedBeforeAnswer  jobs whose job_assign arrived before their 201 (counted as 0 ms)
     * @param unmatched             submitted jobs never seen assigned within the settle time
     * @param commitsPerJob         database commits during the phase per job submitted (PostgreSQL's
     *                              statistics; -1 on the embedded database)
     */
    record Result(int rate, double seconds, double achievedRate, Percentiles dispatchMs, Percentiles sendToAssignMs,
            Percentiles submitMs,
            long assignedBeforeAnswer, int unmatched, long submitErrors, double commitsPerJob) {}

    static Result run(String label, OrchestratorApi api, String workflowId, Fleet fleet, BenchOptions o,
            LongSupplier commits) throws InterruptedException {
        DispatchLatency latency = new DispatchLatency();
        fleet.counters().measureLatency(latency);
        Histogram submitMicros = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        LongAdder errors = new LongAdder();
        long total = (long) o.rate() * o.latencySeconds();
        long interval = 1_000_000_000L / o.rate();
        System.out.printf("  [%s] latency: %,d single submits at %d jobs/s over %d s%n", label, total, o.rate(), o.latencySeconds());
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        long commitsFrom = commits.getAsLong();
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            long sent = System.nanoTime();
            inFlight.add(api.submitAsync(workflowId).whenComplete((r, e) -> answered(r, e, sent, latency, submitMicros, errors)));
            if ((i + 1) % ((long) o.rate() * (o.quick() ? 2 : 5)) == 0) {
                Histogram h = latency.fromAnswer();
                System.out.printf("  [%s] t=%3ds  submitted %,8d   dispatch p50 %6.1f ms  p99 %6.1f ms  (so far)%n", label,
                        (i + 1) / o.rate(), i + 1, h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        long settle = System.nanoTime();
        while (latency.unmatched() > 0 && System.nanoTime() - settle < SETTLE_NANOS) {
            Thread.sleep(10);
        }
        fleet.counters().measureLatency(null);
        long commitsTo = commits.getAsLong();
        Histogram dispatch = latency.fromAnswer();
        Histogram submit;
        synchronized (submitMicros) {
            submit = submitMicros.copy();
        }
        return new Result(o.rate(), seconds, total / seconds, Percentiles.ofMicros(dispatch),
                Percentiles.ofMicros(latency.fromSend()), Percentiles.ofMicros(submit),
                latency.assignedBeforeAnswer(), latency.unmatched(), errors.sum(),
                commitsFrom < 0 || commitsTo < 0 ? -1 : (double) (commitsTo - commitsFrom) / total);
    }

    private static void answered(HttpResponse<String> r, Throwable e, long sent, DispatchLatency latency, Histogram submitMicros,
            LongAdder errors) {
        long now = System.nanoTime();
        if (e != null || r.statusCode() != 201) {
            errors.increment();
            if (errors.sum() <= 3) {
                System.err.println("  submit failed: " + (e != null ? e.toString() : r.statusCode() + " " + r.body()));
            }
            return;
        }
        latency.committed(OrchestratorApi.jobId(r.body()), sent, now);
        synchronized (submitMicros) {
            submitMicros.recordValue(Math.min((now - sent) / 1000, submitMicros.getHighestTrackableValue()));
        }
    }
}
