package com.casarerpa.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.testing.ManualTimeMeter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {
    private final ManualTimeMeter time = new ManualTimeMeter();

    @Test
    void a_new_key_gets_a_full_bucket_and_remaining_counts_down_to_a_refusal() {
        TokenBuckets buckets = new TokenBuckets(new RateLimitPolicy(100, 3), time, 10);

        assertThat(buckets.tryTake("k")).isEqualTo(new RateDecision(true, 100, 2, 0));
        assertThat(buckets.tryTake("k")).isEqualTo(new RateDecision(true, 100, 1, 0));
        assertThat(buckets.tryTake("k")).isEqualTo(new RateDecision(true, 100, 0, 0));
        assertThat(buckets.tryTake("k")).isEqualTo(new RateDecision(false, 100, 0, 1));
    }

    @Test
    void tokens_come_back_evenly_at_the_rate_and_never_beyond_the_burst() {
        TokenBuckets buckets = new TokenBuckets(new RateLimitPolicy(6, 2), time, 10); // one token every 10 s
        buckets.tryTake("k");
        buckets.tryTake("k");

        assertThat(buckets.tryTake("k").retryAfterSeconds()).isEqualTo(10);
        time.advance(Duration.ofMillis(9_001));
        assertThat(buckets.tryTake("k").retryAfterSeconds()).isEqualTo(1);
        time.advance(Duration.ofMillis(999));
        assertThat(buckets.tryTake("k")).isEqualTo(new RateDecision(true, 6, 0, 0));

        time.advance(Duration.ofHours(1));
        assertThat(buckets.tryTake("k").remaining()).isEqualTo(1);
    }

    @Test
    void time_to_fill_is_burst_divided_by_the_rate() {
        assertThat(new RateLimitPolicy(100, 20).timeToFill()).isEqualTo(Duration.ofSeconds(12));
        assertThat(new RateLimitPolicy(6, 2).timeToFill()).isEqualTo(Duration.ofSeconds(20));
        assertThat(new RateLimitPolicy(100, 20).times(10)).isEqualTo(new RateLimitPolicy(1000, 200));
    }

    @Test
    void a_policy_below_one_request_is_refused() {
        assertThatThrownBy(() -> new RateLimitPolicy(0, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimitPolicy(100, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_idle_bucket_is_forgotten_once_it_would_be_full_again() {
        TokenBuckets buckets = new TokenBuckets(new RateLimitPolicy(60, 5), time, 10);
        buckets.tryTake("k");
        assertThat(buckets.size()).isEqualTo(1);

        time.advance(Duration.ofSeconds(5));
        assertThat(buckets.size()).isEqualTo(1);
        time.advance(Duration.ofSeconds(2));
        assertThat(buckets.size()).isZero();
        assertThat(buckets.tryTake("k").remaining()).isEqualTo(4);
    }

    @Test
    void the_number_of_buckets_kept_is_bounded() {
        TokenBuckets buckets = new TokenBuckets(new RateLimitPolicy(60, 5), time, 50);
        for (int i = 0; i < 5_000; i++) {
            buckets.tryTake("address-" + i);
        }
        assertThat(buckets.size()).isLessThanOrEqualTo(50);
    }
}
