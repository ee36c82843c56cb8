package com.casarerpa.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.api.HealthRoutes;
import com.casarerpa.orchestrator.api.HttpApi;
import com.casarerpa.orchestrator.scheduler.BackgroundLoop;
import com.casarerpa.orchestrator.service.HealthService;
import com.casarerpa.orchestrator.service.LoopStatus;
import com.casarerpa.orchestrator.store.DatabaseLiveness;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /ready} reports a background loop that has not completed a pass for longer than its bound. */
class StalledLoopReadinessTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path workDir;

    @Test
    void ready_names_a_loop_whose_passes_keep_failing_and_health_stays_up() {
        try (MigratedDatabase db = MigratedDatabase.h2(workDir.resolve("data"));
                DatabaseLiveness liveness = new DatabaseLiveness(db.database().dataSource(), Duration.ofSeconds(2));
                BackgroundLoop failing = BackgroundLoop.named("test-failing").every(Duration.ofMillis(10))
                        .stalledAfter(Duration.ofMillis(300)).start(() -> {
                            throw new IllegalStateException("the pass fails");
                        });
                BackgroundLoop working = BackgroundLoop.named("test-working").every(Duration.ofMillis(10))
                        .stalledAfter(Duration.ofMillis(300)).start(() -> { })) {
            HealthService health = new HealthService(liveness, List::of, () -> 0,
                    () -> List.of(working.status(), failing.status()), Clock.systemUTC());
            HttpApi api = new HttpApi("127.0.0.1", 0, 1, Duration.ofSeconds(5), List.of(new HealthRoutes(health))).start();
            try {
                Http http = new Http(api.port());
                await().atMost(WAIT).untilAsserted(() -> {
                    Http.Response ready = http.get("/ready");
                    assertThat(ready.status()).isEqualTo(503);
                    assertThat(ready.json().at("/checks/background_loops").asText()).isEqualTo("stalled");
                    assertThat(ready.json().get("reasons")).hasSize(1);
                    assertThat(ready.json().at("/reasons/0").asText()).startsWith("the test-failing loop has not completed a pass for")
                            .contains("java.lang.IllegalStateException: the pass fails");
                });
                assertThat(http.get("/health").status()).isEqualTo(200);
            } finally {
                api.close();
            }
        }
    }

    @Test
    void a_running_instance_reports_each_of_its_loops() {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir)) {
            await().atMost(WAIT).until(() -> server.orchestrator().loops().stream().allMatch(l -> l.lastSuccess().isPresent()));
            assertThat(server.orchestrator().loops()).extracting(LoopStatus::name)
                    .containsExactlyInAnyOrder("dispatcher", "robot-channel", "lease-reaper", "scheduler", "session-sweeper",
                            "sample-pruner", "retention");
            Http.Response ready = server.http().get("/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.json().at("/checks/background_loops").asText()).isEqualTo("running");
        }
    }
}
