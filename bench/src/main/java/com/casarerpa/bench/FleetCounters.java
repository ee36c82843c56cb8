package com.casarerpa.bench;

import com.casarerpa.testkit.RobotEvents;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the robots of a run count together: assignments received, completions acked, errors.
 * A {@link DispatchLatency} set with {@link #measureLatency} also gets each assignment's time.
 */
final class FleetCounters implements RobotEvents {
    private static final int ERRORS_SHOWN = 5;
    private final LongAdder assigned = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicInteger shown = new AtomicInteger();
    private volatile DispatchLatency latency;

    void measureLatency(DispatchLatency l) {
        latency = l;
    }

    @Override
    public void assigned(String robot, String jobId, long nanos) {
        assigned.increment();
        DispatchLatency l = latency;
        if (l != null) {
            l.assigned(jobId, nanos);
        }
    }

    @Override
    public void completed(String robot, String jobId, String leaseToken, boolean duplicate) {
        completed.increment();
    }

    @Override
    public void error(String what) {
        errors.increment();
        if (shown.incrementAndGet() <= ERRORS_SHOWN) {
            System.err.println("  robot error: " + what);
        }
    }

    long assigned() {
        return assigned.sum();
    }

    long completed() {
        return completed.sum();
    }

    long errors() {
        return errors.sum();
    }
}
