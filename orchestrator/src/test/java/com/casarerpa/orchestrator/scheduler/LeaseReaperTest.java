package com.casarerpa.orchestrator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.JobClaims;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.QueueFixture;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running orchestrator notices by itself that a robot stopped renewing a lease. */
class LeaseReaperTest {
    @TempDir
    Path workDir;

    @Test
    void the_server_puts_the_job_of_a_silent_robot_back_in_the_queue() {
        try (RunningOrchestrator server = RunningOrchestrator.postgres(workDir, java.util.Map.of("CASARE_QUEUE_RETRY_DELAY_SECONDS", "0"));
                Database robotSide = Database.open(DatabaseUrl.parse(server.env().get("DATABASE_URL")), PoolSettings.forCommand())) {
            QueueFixture q = new QueueFixture(robotSide, Duration.ZERO);
            Job job = q.jobs.submitAll(List.of(q.job())).getFirst();
            JobClaims.Claim claim = q.claims.claim(new JobClaims.Claimer("vanishing-robot", Set.of(), Optional.of("default"), 1, 1))
                    .getFirst();
            q.reports.started(job.id(), claim.lease().token());

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                Job now = q.jobs.find(job.id()).orElseThrow();
                assertThat(now.state()).isEqualTo(JobState.PENDING);
                assertThat(now.errorType()).contains("lease_expired");
            });
            JobClaims.Claim again = q.claims.claim(q.robot("healthy-robot", 1)).getFirst();
            assertThat(again.lease().attempt()).isEqualTo(2);
        }
    }
}
