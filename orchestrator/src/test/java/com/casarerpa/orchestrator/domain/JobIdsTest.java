package com.casarerpa.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JobIdsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T09:00:00Z"));

    @Test
    void ids_are_job_and_26_crockford_characters_starting_with_the_time() {
        String id = new JobIds(clock, new Random(1)).next();
        assertThat(id).matches("job_[0-9a-hjkmnp-tv-z]{26}");
        JobIds later = new JobIds(clock, new Random(2));
        clock.advance(Duration.ofMillis(1));
        assertThat(later.next().substring(0, 14)).isGreaterThan(id.substring(0, 14));
    }

    @Test
    void ids_made_in_one_millisecond_keep_their_order() {
        // the largest random part, so the next ids carry into the high bits and then the time
        JobIds ids = new JobIds(clock, new Random(3) {
            @Override
            public int nextInt(int bound) {
                return bound - 1;
            }

            @Override
            public long nextLong() {
                return -2L;
            }
        });
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            made.add(ids.next());
        }
        assertThat(made).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void a_clock_that_goes_back_does_not_break_the_order() {
        JobIds ids = new JobIds(clock, new Random(4));
        String before = ids.next();
        clock.advance(Duration.ofSeconds(-5));
        assertThat(ids.next()).isGreaterThan(before);
    }
}
