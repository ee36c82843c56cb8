package com.casarerpa.robot.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void delays_double_to_the_cap_with_equal_jitter_and_start_over_after_a_reset() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(42));
        long[] full = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
        for (long f : full) {
            long d = b.next().toMillis();
            assertThat(d).isBetween(f / 2, f);
        }
        b.reset();
        assertThat(b.next().toMillis()).isBetween(500L, 1000L);
        b.jumpToCap();
        assertThat(b.next().toMillis()).isBetween(15000L, 30000L);
    }

    @Test
    void jitter_spreads_a_fleet() {
        Random random = new Random(7);
        long first = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), random).next().toMillis();
        boolean differs = false;
        for (int i = 0; i < 20 && !differs; i++) {
            differs = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), random).next().toMillis() != first;
        }
        assertThat(differs).isTrue();
    }

    @Test
    void a_close_that_is_the_servers_failure_is_retried_after_its_hint_and_does_not_grow_the_delays() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(3));
        for (int i = 0; i < 10; i++) {
            assertThat(b.afterClose(1013, Duration.ofMillis(400)).toMillis()).isBetween(400L, 600L);
            assertThat(b.afterClose(1011, Duration.ZERO).toMillis()).isBetween(1000L, 1500L);
        }
        assertThat(b.failures()).isZero();
        assertThat(b.afterClose(1008, Duration.ZERO).toMillis()).isBetween(15000L, 30000L);
    }
}
