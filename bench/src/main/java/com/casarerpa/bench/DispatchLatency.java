package com.casarerpa.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Dispatch latency, commit of a job → a robot has read its {@code job_assign}. The commit happens
 * inside the submit request, at an instant the client cannot see, so two figures bracket it:
 * from the 201 reaching the submitter (the definition: it starts after the commit, a
 * lower bound) and from the request being sent (an upper bound). All times are
 * {@code System.nanoTime()} in this JVM: no clock skew. A fast dispatch often reaches the robot
 * before the 201 reaches the submitter (the server answers after writing the audit record);
 * such a job counts as 0 ms from the 201 and is counted in {@link #assignedBeforeAnswer()}.
 */
final class DispatchLatency {
    private static final long UNSET = Long.MIN_VALUE;
    private final ConcurrentHashMap<String, long[]> open = new ConcurrentHashMap<>();
    private final Histogram fromAnswer = histogram();
    private final Histogram fromSend = histogram();
    private final AtomicLong early = new AtomicLong();

    private static Histogram histogram() {
        return new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
    }

    /** The submit of {@code jobId} was sent at {@code sent} and its 201 read at {@code answered}. */
    void committed(String jobId, long sent, long answered) {
        meet(jobId, t -> {
            t[0] = sent;
            t[1] = answered;
        });
    }

    void assigned(String jobId, long nanos) {
        meet(jobId, t -> t[2] = nanos);
    }

    private void meet(String jobId, java.util.function.Consumer<long[]> set) {
        long[] all = open.compute(jobId, (id, times) -> {
            long[] t = times == null ? new long[] {UNSET, UNSET, UNSET} : times;
            set.accept(t);
            return t;
        });
        if (all[1] != UNSET && all[2] != UNSET && open.remove(jobId, all)) {
            long afterAnswer = all[2] - all[1];
            if (afterAnswer < 0) {
                early.incrementAndGet();
            }
            record(fromAnswer, Math.max(0, afterAnswer));
            record(fromSend, all[2] - all[0]);
        }
    }

    private static void record(Histogram h, long nanos) {
        synchronized (h) {
            h.recordValue(Math.min(nanos / 1000, h.getHighestTrackableValue()));
        }
    }

    /** Jobs committed whose assignment has not been seen (or the reverse). */
    int unmatched() {
        return open.size();
    }

    long assignedBeforeAnswer() {
        return early.get();
    }

    /** Microseconds from the 201 to the job_assign (0 when the job_assign came first). */
    Histogram fromAnswer() {
        synchronized (fromAnswer) {
            return fromAnswer.copy();
        }
    }

    /** Microseconds from sending the submit to the job_assign. */
    Histogram fromSend() {
        synchronized (fromSend) {
            return fromSend.copy();
        }
    }
}
