package com.casarerpa.orchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.events.Change;
import com.casarerpa.orchestrator.events.ChangeEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What each job change counts: only this instance's own changes move the counters (so they sum
 * over instances), but a start seen from another instance still gives a job its run time.
 */
class JobMetricsTest {
    private static final Instant T0 = Instant.parse("2027-01-01T10:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final JobMetrics jobs = new JobMetrics(registry);

    private void change(String job, String from, String to, int second, boolean remote) {
        jobs.changed(new ChangeEvent(Change.job(job, Optional.ofNullable(from), to), T0.plusSeconds(second), remote ? "i_other" : "i_me",
                remote));
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private long runs(String status) {
        return registry.get("casare.job.run").tag("status", status).timer().count();
    }

    @Test
    void a_job_run_here_counts_once_with_its_run_time() {
        change("j1", null, "pending", 0, false);
        change("j1", "pending", "assigned", 1, false);
        change("j1", "assigned", "running", 2, false);
        change("j1", "running", "succeeded", 9, false);

        assertThat(count("casare.jobs.enqueued")).isEqualTo(1);
        assertThat(count("casare.workflows", "status", "success")).isEqualTo(1);
        assertThat(runs("success")).isEqualTo(1);
        assertThat(registry.get("casare.job.run").tag("status", "success").timer().totalTime(java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo(7);
    }

    @Test
    void changes_made_on_another_instance_count_there_not_here_but_its_start_gives_a_local_end_its_run_time() {
        change("j1", null, "pending", 0, true);
        change("j1", "assigned", "running", 2, true);
        change("j1", "running", "failed", 5, true);
        assertThat(count("casare.jobs.enqueued")).isZero();
        assertThat(count("casare.workflows", "status", "failed")).isZero();
        assertThat(count("casare.dead.letters")).isZero();
        assertThat(runs("failed")).isZero();

        change("j2", "assigned", "running", 10, true);
        change("j2", "running", "timed_out", 14, false);
        assertThat(count("casare.workflows", "status", "timed_out")).isEqualTo(1);
        assertThat(registry.get("casare.job.run").tag("status", "timed_out").timer().max(java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo(4);
    }

    @Test
    void an_attempt_that_puts_the_job_back_is_a_retry_and_its_start_is_forgotten() {
        change("j1", "assigned", "running", 1, false);
        change("j1", "running", "pending", 3, false);
        change("j1", "assigned", "pending", 4, false);
        change("j1", "failed", "pending", 5, false); // an operator's retry ends no attempt
        change("j1", "pending", "cancelled", 6, false);

        assertThat(count("casare.job.retries")).isEqualTo(2);
        assertThat(count("casare.workflows", "status", "cancelled")).isEqualTo(1);
        assertThat(runs("cancelled")).as("cancelled while pending: it did not run").isZero();
    }

    @Test
    void every_failure_is_a_dead_letter() {
        change("j1", "running", "failed", 1, false);
        change("j2", "assigned", "failed", 1, false);
        assertThat(count("casare.dead.letters")).isEqualTo(2);
        assertThat(count("casare.workflows", "status", "failed")).isEqualTo(2);
        assertThat(runs("failed")).as("no start seen").isZero();
    }
}
