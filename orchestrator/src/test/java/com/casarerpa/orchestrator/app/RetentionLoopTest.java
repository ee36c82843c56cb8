package com.casarerpa.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.service.LoopStatus;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.testing.JobHistoryRows;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.QueueFixture;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention as running instances do it: configured by its keys, one loop per instance, the rows counted in /metrics. */
class RetentionLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern PURGED_JOBS = Pattern.compile("casare_retention_purged_rows_total\\{table=\"jobs\"} ([0-9.]+)");

    @TempDir
    Path workDir;

    @Test
    @Tag("ops") // two instances
    void two_instances_on_one_database_purge_each_old_job_once_at_start_and_keep_the_rest() {
        try (MigratedDatabase db = MigratedDatabase.postgres()) {
            new QueueFixture(db.database(), Duration.ZERO);
            Jdbi jdbi = Jdbi3.of(db.database());
            Instant now = Instant.now();
            for (int i = 0; i < 30; i++) {
                JobHistoryRows.job(jdbi, "old_" + i, "succeeded", now.minus(Duration.ofDays(40)), Optional.of(now.minus(Duration.ofDays(35))), 1);
            }
            JobHistoryRows.job(jdbi, "recent", "failed", now.minus(Duration.ofDays(3)), Optional.of(now.minus(Duration.ofDays(2))), 1);
            Map<String, String> env = Map.of("CASARE_RETENTION_JOBS_DAYS", "30", "CASARE_RETENTION_BATCH_SIZE", "7");
            String url = db.env().get("DATABASE_URL");

            try (RunningOrchestrator a = RunningOrchestrator.postgresAt(workDir.resolve("a"), url, env);
                    RunningOrchestrator b = RunningOrchestrator.postgresAt(workDir.resolve("b"), url, env)) {
                await().atMost(WAIT).until(() -> jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM jobs").mapTo(Integer.class).one()) == 1);
                await().atMost(WAIT).until(() -> purgedJobs(a) + purgedJobs(b) == 30);

                String left = jdbi.withHandle(h -> h.createQuery("SELECT id FROM jobs").mapTo(String.class).one());
                assertThat(left).isEqualTo("recent");
                assertThat(a.orchestrator().loops()).extracting(LoopStatus::name).contains("retention");
                assertThat(b.orchestrator().loops()).extracting(LoopStatus::name).contains("retention");
                assertThat(a.http().get("/ready").status()).isEqualTo(200);
            }
        }
    }

    @Test
    void retention_off_runs_no_loop() {
        try (RunningOrchestrator server = RunningOrchestrator.embedded(workDir, Map.of("CASARE_RETENTION_ENABLED", "false"))) {
            assertThat(server.orchestrator().loops()).extracting(LoopStatus::name).doesNotContain("retention").contains("sample-pruner");
        }
    }

    private static double purgedJobs(RunningOrchestrator server) {
        Matcher m = PURGED_JOBS.matcher(server.http().get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
