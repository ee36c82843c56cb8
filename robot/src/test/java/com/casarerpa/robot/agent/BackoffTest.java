package com.casarerpa.robot.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void delays_are_drawn_below_a_ceiling_that_doubles_to_the_cap_and_starts_over_after_a_reset() {
        Random random = new Random(42);
        long[] full = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
        long[] longest = new long[full.length];
        for (int round = 0; round < 200; round++) {
            Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), random);
            for (int i = 0; i < full.length; i++) {
                long d = b.next().toMillis();
                assertThat(d).isBetween(0L, full[i]);
                longest[i] = Math.max(longest[i], d);
            }
        }
        // Full jitter: over 200 draws the whole interval is used, up to near its ceiling.
        for (int i = 0; i < full.length; i++) {
            assertThat(longest[i]).isGreaterThan(full[i] * 9 / 10);
        }
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(1));
        b.next();
        b.next();
        b.reset();
        assertThat(b.next().toMillis()).isBetween(0L, 1000L);
        b.jumpToCap();
        assertThat(b.next().toMillis()).isBetween(0L, 30000L);
        assertThat(b.failures()).isEqualTo(21);
    }

    @Test
    void a_refused_handshake_waits_for_the_servers_retry_after_plus_a_jittered_delay() {
        Random random = new Random(5);
        long shortest = Long.MAX_VALUE;
        long longest = 0;
        for (int i = 0; i < 200; i++) {
            long d = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), random).afterRefusal(Duration.ofSeconds(2)).toMillis();
            assertThat(d).isBetween(2000L, 3000L);
            shortest = Math.min(shortest, d);
            longest = Math.max(longest, d);
        }
        assertThat(longest - shortest).as("spread of 200 robots refused together").isGreaterThan(800L);
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
        assertThat(b.afterClose(1008, Duration.ZERO).toMillis()).isBetween(0L, 30000L);
        assertThat(b.failures()).as("from the cap on").isEqualTo(21);
    }
}
