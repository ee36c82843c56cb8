package com.casarerpa.orchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.store.GaugeQueries.Figures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The shared gauges are read at most once per period however often they are scraped, and keep their values when a read fails. */
class SharedGaugesTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final AtomicInteger reads = new AtomicInteger();
    private volatile RuntimeException failure;

    private final SharedGauges gauges = new SharedGauges(registry, () -> {
        reads.incrementAndGet();
        if (failure != null) {
            throw failure;
        }
        return figures(reads.get());
    }, Duration.ofSeconds(5), nanos::get);

    private static Figures figures(long pending) {
        return new Figures(Map.of(JobState.PENDING, pending, JobState.ASSIGNED, 0L, JobState.RUNNING, 0L), Duration.ofSeconds(3),
                Map.of("online", 2L, "busy", 1L, "offline", 0L), 4, 5);
    }

    private double queue() {
        return registry.get("casare.jobs.queue.depth").gauge().value();
    }

    private void after(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void a_reading_serves_every_scrape_of_its_period() {
        for (int i = 0; i < 20; i++) {
            gauges.refresh();
        }
        assertThat(reads).hasValue(1);
        assertThat(queue()).isEqualTo(1);
        assertThat(registry.get("casare.robots.active").gauge().value()).isEqualTo(3);
        assertThat(registry.get("casare.robot.slots").tag("state", "free").gauge().value()).isEqualTo(5);
        assertThat(registry.get("casare.jobs.oldest.pending.age").gauge().value()).isEqualTo(3);

        after(Duration.ofMillis(4_999));
        gauges.refresh();
        assertThat(reads).hasValue(1);
        after(Duration.ofMillis(1));
        gauges.refresh();
        assertThat(reads).hasValue(2);
        assertThat(queue()).isEqualTo(2);
    }

    @Test
    void a_failed_reading_keeps_the_last_values_and_is_not_retried_before_the_period_ends() {
        gauges.refresh();
        failure = new IllegalStateException("database away");
        after(Duration.ofSeconds(5));
        gauges.refresh();
        gauges.refresh();
        assertThat(reads).hasValue(2);
        assertThat(queue()).isEqualTo(1);

        failure = null;
        after(Duration.ofSeconds(5));
        gauges.refresh();
        assertThat(queue()).isEqualTo(3);
    }
}
