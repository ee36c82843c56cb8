package com.casarerpa.orchestrator.metrics;

import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.events.Change;
import com.casarerpa.orchestrator.events.ChangeEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The job counters, moved by job change events: jobs enqueued, jobs ended by outcome, retries,
 * dead letters, and how long the jobs that ran took. Only this instance's own events count (a
 * change is counted once, by the instance whose transaction made it, so the series sum over
 * instances); the starts of every instance are remembered, so a job started on one instance and
 * ended on another still has its run time.
 *
 * <p>Fed by one subscriber thread ({@link Metrics#observe}): no locking.
 */
final class JobMetrics {
    /** Running jobs remembered at most; past it the longest-known are forgotten (their run time is not recorded). */
    static final int MAX_RUNNING = 100_000;

    private record Outcome(Counter ended, Timer runTime) {}

    private final Counter enqueued;
    private final Counter retries;
    private final Counter deadLetters;
    private final Map<JobState, Outcome> outcomes = new EnumMap<>(JobState.class);
    private final Map<String, Instant> running = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX_RUNNING;
        }
    };

    JobMetrics(MeterRegistry registry) {
        // Not "created": Prometheus reserves the _created suffix (a counter's creation time), and drops it.
        enqueued = Counter.builder("casare.jobs.enqueued").description("Jobs inserted (API, batch, schedule, webhook)").register(registry);
        retries = Counter.builder("casare.job.retries").description("Attempts that ended and put the job back to pending")
                .register(registry);
        deadLetters = Counter.builder("casare.dead.letters").description("Jobs that ended failed (retries spent or not retryable)")
                .register(registry);
        outcome(registry, JobState.SUCCEEDED, "success");
        outcome(registry, JobState.FAILED, "failed");
        outcome(registry, JobState.CANCELLED, "cancelled");
        outcome(registry, JobState.TIMED_OUT, "timed_out");
    }

    private void outcome(MeterRegistry registry, JobState state, String status) {
        outcomes.put(state, new Outcome(
                Counter.builder("casare.workflows").description("Jobs that ended, by outcome").tag("status", status).register(registry),
                Histograms.timer("casare.job.run", "From running to the end, for jobs that ran", Histograms.RUNS)
                        .tag("status", status).register(registry)));
    }

    /** A job changed state (on this instance or, {@link ChangeEvent#remote()}, another). */
    void changed(ChangeEvent e) {
        Change c = e.change();
        Optional<JobState> from = c.from().flatMap(JobState::fromWire);
        JobState to = JobState.fromWire(c.to()).orElseThrow(() -> new IllegalArgumentException("not a job state: " + c.to()));
        Instant started = from.filter(s -> s == JobState.RUNNING).map(s -> running.remove(c.subject())).orElse(null);
        if (to == JobState.RUNNING) {
            running.put(c.subject(), e.at());
        }
        if (e.remote()) {
            return;
        }
        if (from.isEmpty() && to == JobState.PENDING) {
            enqueued.increment();
        } else if (from.filter(JobState::leased).isPresent() && to == JobState.PENDING) {
            retries.increment();
        }
        Outcome outcome = outcomes.get(to);
        if (outcome == null) {
            return;
        }
        outcome.ended().increment();
        if (to == JobState.FAILED) {
            deadLetters.increment();
        }
        if (started != null) {
            Duration ran = Duration.between(started, e.at());
            outcome.runTime().record(ran.isNegative() ? Duration.ZERO : ran);
        }
    }
}
