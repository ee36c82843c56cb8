package com.casarerpa.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JobTimeoutTest {
    private static final Instant START = Instant.parse("2026-01-05T10:00:00Z");

    /** A job with {@code seconds} allowed, started at START, judged {@code ranMillis} later. */
    private static JobTimeout after(Optional<Integer> seconds, long ranMillis) {
        return new JobTimeout(seconds, Optional.of(START), START.plusMillis(ranMillis));
    }

    @Test
    void a_running_job_past_its_deadline_is_asked_to_stop_as_timed_out() {
        assertThat(after(Optional.of(30), 30_001).deadline()).contains(START.plusSeconds(30));
        assertThat(after(Optional.of(30), 30_001).stopToAsk(JobState.RUNNING, Optional.empty())).contains(JobState.TIMED_OUT);
        assertThat(after(Optional.of(0), 1).stopToAsk(JobState.RUNNING, Optional.empty())).contains(JobState.TIMED_OUT);
    }

    @Test
    void a_job_with_time_left_no_limit_or_no_start_is_left_running() {
        assertThat(after(Optional.of(30), 30_000).stopToAsk(JobState.RUNNING, Optional.empty())).as("exactly at the deadline").isEmpty();
        assertThat(after(Optional.of(30), 10_000).stopToAsk(JobState.RUNNING, Optional.empty())).isEmpty();
        assertThat(after(Optional.empty(), 999_000).stopToAsk(JobState.RUNNING, Optional.empty())).isEmpty();
        JobTimeout notStarted = new JobTimeout(Optional.of(1), Optional.empty(), START.plusSeconds(60));
        assertThat(notStarted.deadline()).isEmpty();
        assertThat(notStarted.stopToAsk(JobState.ASSIGNED, Optional.empty())).isEmpty();
    }

    @Test
    void a_stop_asked_already_or_a_job_not_running_is_not_stopped_again() {
        JobTimeout late = after(Optional.of(30), 60_000);
        assertThat(late.stopToAsk(JobState.RUNNING, Optional.of(JobState.CANCELLED))).as("a cancel asked first wins").isEmpty();
        assertThat(late.stopToAsk(JobState.RUNNING, Optional.of(JobState.TIMED_OUT))).isEmpty();
        for (JobState s : JobState.values()) {
            if (s != JobState.RUNNING) {
                assertThat(late.stopToAsk(s, Optional.empty())).as(s.wireName()).isEmpty();
            }
        }
    }

    @Test
    void a_job_stopped_for_its_timeout_ends_timed_out_and_is_never_retried() {
        RetryPolicy retries = new RetryPolicy(Duration.ofSeconds(10), RetryPolicy.DEFAULT_CAP);
        Optional<JobState> asked = after(Optional.of(30), 31_000).stopToAsk(JobState.RUNNING, Optional.empty());
        assertThat(LeaseEnd.of(1, 5, asked, true, retries, new Random(1))).isEqualTo(new LeaseEnd.Finish(JobState.TIMED_OUT));
        assertThat(LeaseEnd.stopped(asked, JobState.CANCELLED)).isEqualTo(JobState.TIMED_OUT);
    }

    @Test
    void the_error_says_what_timed_out_and_after_how_long_in_whole_seconds_rounded_up() {
        assertThat(JobTimeout.ERROR_TYPE).isEqualTo("timeout");
        assertThat(after(Optional.of(30), 30_200).message(Optional.empty()))
                .isEqualTo("ran longer than its timeout_seconds (30 s): stopped after 31 s");
        assertThat(after(Optional.of(30), 62_000).message(Optional.of("robot robot-vm-1 did not confirm the stop within 30 s")))
                .isEqualTo("ran longer than its timeout_seconds (30 s): stopped after 62 s; robot robot-vm-1 did not confirm the stop"
                        + " within 30 s");
        assertThat(after(Optional.empty(), 5_000).message(Optional.empty()))
                .isEqualTo("its robot stopped it for running past its time limit: stopped after 5 s");
        assertThat(new JobTimeout(Optional.of(30), Optional.empty(), START).message(Optional.empty()))
                .isEqualTo("ran longer than its timeout_seconds (30 s)");
        assertThat(new JobTimeout(Optional.of(30), Optional.of(START), START.minusSeconds(1)).message(Optional.empty()))
                .as("a clock that went back counts no time").endsWith("stopped after 0 s");
    }
}
