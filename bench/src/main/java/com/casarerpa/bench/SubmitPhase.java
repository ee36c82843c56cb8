package com.casarerpa.bench;

import com.casarerpa.bench.LatencyPhase.Percentiles;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Single submits (issue 16, target 2): N clients, each sending {@code POST /api/v1/jobs} one at a
 * time on its own keep-alive connection, the next as soon as the last is answered (closed loop),
 * for a warm-up and then the measured seconds. No robot is connected: the figure is what the
 * submit path alone costs (authentication, workflow, the job's transaction with its audit
 * record), and the jobs stay pending.
 */
final class SubmitPhase {
    static final double TARGET_REQUESTS_PER_SECOND = 3_000, TARGET_P99_MS = 20;

    /**
     * @param requestsPerSecond 201 answers per second in the measured window
     * @param latencyMs         request sent → answer read, of the requests answered in the window
     * @param errors            answers other than 201, and failed connections, in the whole phase
     * @param commitsPerRequest database commits in the window per request answered (-1 on the embedded database)
     */
    record Result(int clients, double seconds, long requests, double requestsPerSecond, Percentiles latencyMs, long errors,
            double commitsPerRequest) {}

    /** @param warmupSeconds at least 1 */
    static Result run(String label, String baseUrl, String key, String workflowId, int clients, int warmupSeconds,
            int seconds, LongSupplier commits) throws InterruptedException {
        System.out.printf("  [%s] single submits: %d clients, one POST /api/v1/jobs at a time each; %d s warm-up, %d s measured%n",
                label, clients, warmupSeconds, seconds);
        LongAdder answered = new LongAdder();
        LongAdder errors = new LongAdder();
        List<Client> all = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Client c = new Client(new RepeatedPost(baseUrl, "/api/v1/jobs", key, "{\"workflow_id\":\"" + workflowId + "\"}"),
                    answered, errors);
            all.add(c);
            c.thread = Thread.ofPlatform().name("submit-client-" + i).daemon(true).start(c);
        }
        try {
            long start = System.nanoTime();
            int every = Math.max(1, Math.min(5, seconds));
            long lastCount = 0;
            long lastAt = start;
            long commitsFrom = -1;
            long windowStart = 0;
            long windowFrom = 0;
            for (int second = 1; second <= warmupSeconds + seconds; second++) {
                long wait = start + second * 1_000_000_000L - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                if (second == warmupSeconds) {
                    all.forEach(c -> c.measuring = true);
                    windowStart = System.nanoTime();
                    windowFrom = answered.sum();
                    commitsFrom = commits.getAsLong();
                }
                if (second % every == 0) {
                    long now = System.nanoTime();
                    long count = answered.sum();
                    System.out.printf("  [%s] t=%3ds  answered %,9d  %,8.0f requests/s   errors %d%s%n", label, second, count,
                            (count - lastCount) * 1e9 / (now - lastAt), errors.sum(), second <= warmupSeconds ? "   (warm-up)" : "");
                    lastCount = count;
                    lastAt = now;
                }
            }
            all.forEach(c -> c.measuring = false);
            long windowEnd = System.nanoTime();
            long windowTo = answered.sum();
            long commitsTo = commits.getAsLong();
            Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
            for (Client c : all) {
                synchronized (c.micros) {
                    latency.add(c.micros);
                }
            }
            double window = (windowEnd - windowStart) / 1e9;
            long requests = windowTo - windowFrom;
            return new Result(clients, window, requests, requests / window, Percentiles.ofMicros(latency), errors.sum(),
                    commitsFrom < 0 || commitsTo < 0 || requests == 0 ? -1 : (double) (commitsTo - commitsFrom) / requests);
        } finally {
            for (Client c : all) {
                c.running = false;
            }
            for (Client c : all) {
                c.thread.join(TimeUnit.SECONDS.toMillis(65));
                c.post.close();
            }
        }
    }

    /** One client: sends, waits for the answer, sends again. */
    private static final class Client implements Runnable {
        final RepeatedPost post;
        final LongAdder answered;
        final LongAdder errors;
        final Histogram micros = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        volatile boolean measuring;
        volatile boolean running = true;
        Thread thread;

        Client(RepeatedPost post, LongAdder answered, LongAdder errors) {
            this.post = post;
            this.answered = answered;
            this.errors = errors;
        }

        @Override
        public void run() {
            while (running) {
                long sent = System.nanoTime();
                boolean counted = measuring;
                try {
                    RepeatedPost.Answer a = post.send();
                    if (a.status() != 201) {
                        failed(a.status() + " " + a.body());
                        continue;
                    }
                } catch (Exception e) {
                    failed(e.toString());
                    continue;
                }
                long micros = (System.nanoTime() - sent) / 1000;
                answered.increment();
                if (counted && measuring) {
                    synchronized (this.micros) {
                        this.micros.recordValue(Math.min(micros, this.micros.getHighestTrackableValue()));
                    }
                }
            }
        }

        private void failed(String what) {
            errors.increment();
            if (errors.sum() <= 3) {
                System.err.println("  submit failed: " + what);
            }
            if (!running) {
                return;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
