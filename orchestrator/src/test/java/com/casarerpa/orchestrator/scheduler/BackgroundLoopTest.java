package com.casarerpa.orchestrator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.service.LoopStatus;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The background loop primitive: whatever a pass throws, an Error included, the loop runs again
 * and counts it; a wake runs a pass early; its status tells failures, the last success and
 * whether it is stalled.
 */
class BackgroundLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void a_task_that_throws_an_error_runs_again_afterwards() {
        AtomicInteger runs = new AtomicInteger();
        try (BackgroundLoop task = BackgroundLoop.named("test-errors").every(Duration.ofMillis(10)).start(() -> {
            switch (runs.incrementAndGet()) {
                case 1 -> throw new StackOverflowError("thrown by the test");
                case 2 -> throw new OutOfMemoryError("thrown by the test");
                case 3 -> throw new IllegalStateException("thrown by the test");
                default -> { }
            }
        })) {
            await().atMost(WAIT).until(() -> runs.get() >= 6);
            assertThat(task.failures()).isEqualTo(3);
        }
    }

    @Test
    void an_error_thrown_once_is_survived_counted_and_shown_in_the_status() {
        AtomicInteger runs = new AtomicInteger();
        try (BackgroundLoop loop = BackgroundLoop.named("test-once").every(Duration.ofMillis(10))
                .stalledAfter(Duration.ofMinutes(1)).start(() -> {
                    if (runs.incrementAndGet() == 1) {
                        throw new StackOverflowError("thrown by the test");
                    }
                })) {
            await().atMost(WAIT).until(() -> runs.get() >= 3);
            LoopStatus status = loop.status();
            assertThat(status.name()).isEqualTo("test-once");
            assertThat(status.failures()).isEqualTo(1);
            assertThat(status.failingFor()).isZero();
            assertThat(status.lastFailure()).contains("java.lang.StackOverflowError: thrown by the test");
            assertThat(status.lastSuccess()).isPresent();
            assertThat(status.stalled()).isFalse();
        }
    }

    @Test
    void a_loop_whose_passes_keep_failing_is_stalled_after_its_bound() {
        AtomicInteger runs = new AtomicInteger();
        try (BackgroundLoop loop = BackgroundLoop.named("test-stall").every(Duration.ofMillis(10))
                .stalledAfter(Duration.ofMillis(200)).start(() -> {
                    runs.incrementAndGet();
                    throw new IllegalStateException("the database is away");
                })) {
            await().atMost(WAIT).until(() -> loop.status().stalled());
            LoopStatus status = loop.status();
            assertThat(status.lastSuccess()).isEmpty();
            assertThat(status.failingFor()).isEqualTo(status.failures()).isPositive();
            assertThat(status.lastFailure()).contains("java.lang.IllegalStateException: the database is away");
        }
    }

    @Test
    void a_loop_without_a_bound_is_never_stalled() {
        try (BackgroundLoop loop = BackgroundLoop.named("test-unbounded").every(Duration.ofMillis(10)).start(() -> {
            throw new IllegalStateException("always");
        })) {
            await().atMost(WAIT).until(() -> loop.failures() >= 5);
            assertThat(loop.status().stalled()).isFalse();
        }
    }

    @Test
    void failures_in_a_row_wait_longer_up_to_the_limit() {
        AtomicInteger runs = new AtomicInteger();
        try (BackgroundLoop loop = BackgroundLoop.named("test-backoff").every(Duration.ofMillis(50))
                .retryingUpTo(Duration.ofHours(1)).start(woken -> {
                    runs.incrementAndGet();
                    throw new IllegalStateException("always");
                })) {
            loop.wake();
            // 50 ms, 100, 200, 400, 800, … : six passes take over 3 s, so within one second there are at most five.
            await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> runs.get() <= 5);
            loop.wake();
            int before = runs.get();
            await().atMost(WAIT).until(() -> runs.get() > before);
        }
    }

    @Test
    void a_pass_sets_the_next_wait_and_a_wake_cuts_it_short() {
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger woken = new AtomicInteger();
        try (BackgroundLoop task = BackgroundLoop.named("test-wake").every(Duration.ofHours(1)).start(w -> {
            runs.incrementAndGet();
            if (w) {
                woken.incrementAndGet();
            }
            return Duration.ofHours(1);
        })) {
            task.wake();
            await().atMost(WAIT).until(() -> runs.get() == 1);
            task.wake();
            await().atMost(WAIT).until(() -> runs.get() == 2);
            assertThat(woken.get()).isEqualTo(2);
        }
    }

    @Test
    void close_stops_the_loop() {
        AtomicInteger runs = new AtomicInteger();
        BackgroundLoop task = BackgroundLoop.named("test-close").every(Duration.ofMillis(5)).start(() -> runs.incrementAndGet());
        await().atMost(WAIT).until(() -> runs.get() >= 2);
        task.close();
        int after = runs.get();
        task.wake();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> runs.get() == after);
    }
}
