package com.casarerpa.orchestrator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The background loop primitive: whatever a pass throws, an Error included, the loop runs again. */
class PeriodicTaskTest {

    @Test
    void a_task_that_throws_an_error_runs_again_afterwards() {
        AtomicInteger runs = new AtomicInteger();
        try (PeriodicTask task = PeriodicTask.start("test-errors", Duration.ofMillis(10), () -> {
            switch (runs.incrementAndGet()) {
                case 1 -> throw new StackOverflowError("thrown by the test");
                case 2 -> throw new OutOfMemoryError("thrown by the test");
                case 3 -> throw new IllegalStateException("thrown by the test");
                default -> { }
            }
        })) {
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 6);
            assertThat(task.failures()).isEqualTo(3);
        }
    }

    @Test
    void a_pass_sets_the_next_wait_and_a_wake_cuts_it_short() {
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger woken = new AtomicInteger();
        try (PeriodicTask task = PeriodicTask.start("test-wake", Duration.ofHours(1), w -> {
            runs.incrementAndGet();
            if (w) {
                woken.incrementAndGet();
            }
            return Duration.ofHours(1);
        })) {
            task.wake();
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 1);
            task.wake();
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 2);
            assertThat(woken.get()).isEqualTo(2);
        }
    }

    @Test
    void close_stops_the_loop() {
        AtomicInteger runs = new AtomicInteger();
        PeriodicTask task = PeriodicTask.start("test-close", Duration.ofMillis(5), () -> runs.incrementAndGet());
        await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 2);
        task.close();
        int after = runs.get();
        task.wake();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> runs.get() == after);
    }
}
