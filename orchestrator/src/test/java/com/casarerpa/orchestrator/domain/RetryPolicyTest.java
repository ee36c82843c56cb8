package com.casarerpa.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LongSummaryStatistics;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The retry delay: never before the configured delay (the jitter only adds), at most half again, doubling to the cap. */
class RetryPolicyTest {
    private static final int SAMPLES = 20_000;

    @Test
    void a_retry_never_comes_before_the_backoff_and_the_jitter_adds_at_most_half_of_it() {
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(60), RetryPolicy.DEFAULT_CAP);
        SplittableRandom random = new SplittableRandom(42);
        for (int attempt = 1; attempt <= 10; attempt++) {
            long backoff = Math.min(Duration.ofHours(1).toMillis(), 60_000L << (attempt - 1));
            int failed = attempt;
            LongSummaryStatistics delays = IntStream.range(0, SAMPLES)
                    .mapToLong(i -> policy.delayAfter(failed, random).toMillis()).summaryStatistics();
            assertThat(delays.getMin()).as("attempt %d: shortest delay", attempt).isGreaterThanOrEqualTo(backoff);
            assertThat(delays.getMax()).as("attempt %d: longest delay", attempt).isLessThanOrEqualTo(backoff + backoff / 2);
            // The jitter spreads over its whole range: retries of a burst do not line up.
            assertThat(delays.getMin()).as("attempt %d", attempt).isLessThan(backoff + backoff / 100);
            assertThat(delays.getMax()).as("attempt %d", attempt).isGreaterThan(backoff + backoff / 2 - backoff / 100);
        }
    }

    @Test
    void the_first_retry_of_a_sixty_second_delay_comes_after_sixty_seconds_at_the_earliest() {
        RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(60), RetryPolicy.DEFAULT_CAP);
        SplittableRandom random = new SplittableRandom(7);
        assertThat(IntStream.range(0, SAMPLES).mapToObj(i -> policy.delayAfter(1, random)))
                .allSatisfy(d -> assertThat(d).isBetween(Duration.ofSeconds(60), Duration.ofSeconds(90)));
    }

    @Test
    void a_configured_delay_above_the_cap_is_never_shortened_by_the_cap() {
        RetryPolicy policy = new RetryPolicy(Duration.ofHours(2), Duration.ofHours(1));
        SplittableRandom random = new SplittableRandom(3);
        assertThat(IntStream.range(0, SAMPLES).mapToObj(i -> policy.delayAfter(1 + i % 5, random)))
                .allSatisfy(d -> assertThat(d).isBetween(Duration.ofHours(2), Duration.ofHours(3)));
    }

    @Test
    void no_configured_delay_means_no_delay() {
        assertThat(new RetryPolicy(Duration.ZERO, RetryPolicy.DEFAULT_CAP).delayAfter(4, new SplittableRandom(1))).isZero();
    }
}
