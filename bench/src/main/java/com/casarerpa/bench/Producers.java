package com.casarerpa.bench;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Keeps the queue fed through the REST API: threads that submit batches and threads that submit
 * one job at a time, each holding back while the backlog (jobs acknowledged to a submitter and
 * not yet completed) is at {@code backlog}, so the queue neither runs dry nor grows without end.
 */
final class Producers implements AutoCloseable {
    private static final int ERRORS_SHOWN = 3;
    private final OrchestratorApi api;
    private final String workflowId;
    private final int batch;
    private final long backlog;
    private final LongSupplier completed;
    private final LongAdder singleJobs = new LongAdder();
    private final LongAdder batchJobs = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicInteger shown = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    Producers(OrchestratorApi api, String workflowId, int batch, long backlog, LongSupplier completed) {
        this.api = api;
        this.workflowId = workflowId;
        this.batch = batch;
        this.backlog = backlog;
        this.completed = completed;
    }

    Producers start(int batchThreads, int singleThreads) {
        for (int i = 0; i < batchThreads; i++) {
            threads.add(Thread.ofPlatform().daemon().name("bench-batch-" + i).start(this::submitBatches));
        }
        for (int i = 0; i < singleThreads; i++) {
            threads.add(Thread.ofPlatform().daemon().name("bench-single-" + i).start(this::submitSingles));
        }
        return this;
    }

    long submitted() {
        return singleJobs.sum() + batchJobs.sum();
    }

    long singleJobs() {
        return singleJobs.sum();
    }

    long batchJobs() {
        return batchJobs.sum();
    }

    long batches() {
        return batches.sum();
    }

    long errors() {
        return errors.sum();
    }

    private boolean roomFor(int jobs) {
        return submitted() + jobs - completed.getAsLong() <= backlog;
    }

    private void submitBatches() {
        String body = OrchestratorApi.batchBody(workflowId, batch);
        while (running) {
            if (!roomFor(batch)) {
                LockSupport.parkNanos(500_000);
                continue;
            }
            try {
                HttpResponse<String> r = api.submitBatch(body);
                if (r.statusCode() == 201) {
                    batchJobs.add(batch);
                    batches.increment();
                } else {
                    failed("batch submit answered " + r.statusCode() + ": " + r.body());
                }
            } catch (Exception e) {
                failed("batch submit: " + e);
            }
        }
    }

    private void submitSingles() {
        while (running) {
            if (!roomFor(1)) {
                LockSupport.parkNanos(500_000);
                continue;
            }
            try {
                HttpResponse<String> r = api.submit(workflowId);
                if (r.statusCode() == 201) {
                    singleJobs.increment();
                } else {
                    failed("submit answered " + r.statusCode() + ": " + r.body());
                }
            } catch (Exception e) {
                failed("submit: " + e);
            }
        }
    }

    private void failed(String what) {
        errors.increment();
        if (shown.incrementAndGet() <= ERRORS_SHOWN) {
            System.err.println("  producer error: " + what);
        }
        LockSupport.parkNanos(10_000_000);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(70_000);
        }
    }
}
