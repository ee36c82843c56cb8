package com.casarerpa.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LeaseEndTest {
    private final RetryPolicy retries = new RetryPolicy(Duration.ofSeconds(10), RetryPolicy.DEFAULT_CAP);

    private LeaseEnd end(int attempt, int maxRetries, Optional<JobState> stop, boolean retryable) {
        return LeaseEnd.of(attempt, maxRetries, stop, retryable, retries, new Random(1));
    }

    @Test
    void a_failed_attempt_runs_again_while_attempts_are_left_then_fails() {
        assertThat(end(1, 2, Optional.empty(), true)).isInstanceOf(LeaseEnd.RetryLater.class);
        assertThat(((LeaseEnd.RetryLater) end(2, 2, Optional.empty(), true)).delay()).isGreaterThanOrEqualTo(Duration.ofSeconds(20));
        assertThat(end(3, 2, Optional.empty(), true)).isEqualTo(new LeaseEnd.Finish(JobState.FAILED));
    }

    @Test
    void a_failure_that_is_not_retryable_fails_at_once() {
        assertThat(end(1, 5, Optional.empty(), false)).isEqualTo(new LeaseEnd.Finish(JobState.FAILED));
    }

    @Test
    void a_stop_asked_for_ends_as_asked_whatever_attempts_are_left() {
        assertThat(end(1, 5, Optional.of(JobState.CANCELLED), true)).isEqualTo(new LeaseEnd.Finish(JobState.CANCELLED));
        assertThat(end(1, 5, Optional.of(JobState.TIMED_OUT), true)).isEqualTo(new LeaseEnd.Finish(JobState.TIMED_OUT));
        assertThat(LeaseEnd.stopped(Optional.empty(), JobState.TIMED_OUT)).isEqualTo(JobState.TIMED_OUT);
        assertThat(LeaseEnd.stopped(Optional.of(JobState.CANCELLED), JobState.TIMED_OUT)).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void a_cancel_ends_a_pending_job_asks_the_robot_of_a_leased_one_and_leaves_a_finished_one() {
        assertThat(LeaseEnd.Cancel.of(JobState.PENDING)).isEqualTo(LeaseEnd.Cancel.NOW);
        assertThat(LeaseEnd.Cancel.of(JobState.ASSIGNED)).isEqualTo(LeaseEnd.Cancel.ASK_ROBOT);
        assertThat(LeaseEnd.Cancel.of(JobState.RUNNING)).isEqualTo(LeaseEnd.Cancel.ASK_ROBOT);
        assertThat(LeaseEnd.Cancel.of(JobState.FAILED)).isEqualTo(LeaseEnd.Cancel.NOTHING);
    }
}
