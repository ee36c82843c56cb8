package com.casarerpa.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Phase 1: producers keep the queue fed for the warm-up and then the measured duration; the
 * figure is jobs whose {@code job_completed} was acked during the measured window, per second
 * (submitted → assigned → started → completed, all of it through the server and the database).
 * Afterwards the producers stop and the backlog is drained, so the next phase starts empty.
 */
final class ThroughputPhase {
    static final int BATCH_PRODUCERS = 2;
    static final int SINGLE_PRODUCERS = 2;
    private static final long DRAIN_TIMEOUT_NANOS = 120_000_000_000L;

    /**
     * @param jobsPerSecond     end to end, completions acked per second in the window
     * @param submittedPerSecond jobs acknowledged to submitters per second in the window (single + batched)
     * @param timeline          completions per second in each progress interval, warm-up included
     * @param commitsPerJob     database commits in the window per completed job (PostgreSQL's
     *                          statistics; -1 on the embedded database, which has none)
     */
    record Result(double jobsPerSecond, long completed, double seconds, double submittedPerSecond,
            double singleSubmitsPerSecond, double batchedJobsPerSecond, double batchesPerSecond, long backlog,
            long submitErrors, long robotErrors, double drainSeconds, boolean drained, int progressIntervalSeconds,
            List<Double> timeline, double commitsPerJob) {}

    /**
     * @param steady run at the end of the warm-up, before the measured window opens (PostgreSQL:
     *               {@code ANALYZE}, see {@link DatabaseRun})
     */
    static Result run(String label, OrchestratorApi api, String workflowId, Fleet fleet, BenchOptions o,
            LongSupplier commits, Runnable steady) throws InterruptedException {
        FleetCounters robots = fleet.counters();
        long backlog = Math.max(4L * o.robots() * o.slots(), 4L * o.batch());
        int every = o.quick() ? 2 : 5;
        List<Double> timeline = new ArrayList<>();
        System.out.printf("  [%s] throughput: %d batch + %d single producers, backlog up to %,d jobs; %d s warm-up, %d s measured%n",
                label, BATCH_PRODUCERS, SINGLE_PRODUCERS, backlog, o.warmupSeconds(), o.durationSeconds());
        long start = System.nanoTime();
        Producers producers = new Producers(api, workflowId, o.batch(), backlog, robots::completed)
                .start(BATCH_PRODUCERS, SINGLE_PRODUCERS);
        Snapshot from = null;
        long commitsFrom = -1;
        Snapshot last = Snapshot.of(start, producers, robots);
        int total = o.warmupSeconds() + o.durationSeconds();
        for (int second = 1; second <= total; second++) {
            sleepUntil(start + second * 1_000_000_000L);
            if (second == o.warmupSeconds()) {
                steady.run();
                from = Snapshot.of(System.nanoTime(), producers, robots);
                commitsFrom = commits.getAsLong();
            }
            if (second % every == 0 || second == total) {
                Snapshot now = Snapshot.of(System.nanoTime(), producers, robots);
                double rate = (now.completed - last.completed) / now.secondsSince(last);
                timeline.add(rate);
                System.out.printf("  [%s] t=%3ds  completed %,10d  %,8.0f jobs/s   submitted %,10d   backlog %,6d%s%n",
                        label, second, now.completed, rate, now.submitted, now.submitted - now.completed,
                        second <= o.warmupSeconds() ? "   (warm-up)" : "");
                last = now;
            }
        }
        Snapshot to = Snapshot.of(System.nanoTime(), producers, robots);
        long commitsTo = commits.getAsLong();
        producers.close();
        long drainStart = System.nanoTime();
        while (robots.completed() < producers.submitted() && System.nanoTime() - drainStart < DRAIN_TIMEOUT_NANOS) {
            Thread.sleep(20);
        }
        boolean drained = robots.completed() >= producers.submitted();
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        if (!drained) {
            System.out.printf("  [%s] the backlog did not drain within %d s: %,d of %,d jobs completed%n", label,
                    DRAIN_TIMEOUT_NANOS / 1_000_000_000L, robots.completed(), producers.submitted());
        }
        double seconds = to.secondsSince(from);
        return new Result((to.completed - from.completed) / seconds, to.completed - from.completed, seconds,
                (to.submitted - from.submitted) / seconds, (to.singles - from.singles) / seconds,
                (to.batched - from.batched) / seconds, (to.batches - from.batches) / seconds, backlog, producers.errors(),
                robots.errors(), drainSeconds, drained, every, timeline,
                commitsFrom < 0 || commitsTo < 0 || to.completed == from.completed ? -1
                        : (double) (commitsTo - commitsFrom) / (to.completed - from.completed));
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    private record Snapshot(long at, long completed, long submitted, long singles, long batched, long batches) {
        static Snapshot of(long at, Producers p, FleetCounters r) {
            return new Snapshot(at, r.completed(), p.submitted(), p.singleJobs(), p.batchJobs(), p.batches());
        }

        double secondsSince(Snapshot earlier) {
            return (at - earlier.at) / 1e9;
        }
    }
}
