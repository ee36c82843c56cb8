package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.testing.QueueFixture;
import com.casarerpa.orchestrator.testing.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md §3 "no job is lost, no double completion" under contention: 8 claimers take 10,000
 * jobs from one PostgreSQL in batches and complete them; every job is claimed exactly once and
 * ends succeeded.
 */
@Tag("slow")
class ClaimConcurrencyTest {
    private static final int JOBS = 10_000;
    private static final int CLAIMERS = 8;

    @Test
    void eight_claimers_share_ten_thousand_jobs_with_no_duplicate_and_no_loss() throws Exception {
        String name = TestPostgres.createDatabase();
        try (Database db = Database.open(DatabaseUrl.parse(TestPostgres.url(name)),
                new PoolSettings("claim-test", 2, CLAIMERS + 2, Duration.ofSeconds(10), Duration.ofSeconds(60)))) {
            new Migrations(db).migrate();
            QueueFixture q = new QueueFixture(db, Duration.ZERO);
            for (int batch = 0; batch < JOBS / 1000; batch++) {
                List<JobStore.NewJob> jobs = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    jobs.add(q.job(i % 21, List.of()));
                }
                q.jobs.submitAll(jobs);
            }

            Map<String, String> claimedBy = new ConcurrentHashMap<>();
            AtomicInteger duplicates = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(CLAIMERS);
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < CLAIMERS; c++) {
                String robot = "robot-" + c;
                done.add(pool.submit(() -> {
                    int completed = 0;
                    while (true) {
                        List<JobClaims.Claim> claims = q.claims.claim(q.robot(robot, 10));
                        if (claims.isEmpty()) {
                            return completed;
                        }
                        for (JobClaims.Claim claim : claims) {
                            if (claimedBy.putIfAbsent(claim.job().id(), robot) != null) {
                                duplicates.incrementAndGet();
                            }
                            q.reports.completed(claim.job().id(), claim.lease().token(), "{}");
                            completed++;
                        }
                    }
                }));
            }
            int total = 0;
            List<Integer> perClaimer = new ArrayList<>();
            for (Future<Integer> f : done) {
                int n = f.get();
                perClaimer.add(n);
                total += n;
            }
            pool.shutdown();

            assertThat(duplicates.get()).isZero();
            assertThat(total).isEqualTo(JOBS);
            assertThat(claimedBy).hasSize(JOBS);
            assertThat(perClaimer).allSatisfy(n -> assertThat(n).isPositive());
            Map<String, Long> states = q.jobs.countByState();
            assertThat(states).containsEntry(JobState.SUCCEEDED.wireName(), (long) JOBS).hasSize(1);
            long attempts = q.jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM job_attempts WHERE outcome = 'succeeded'")
                    .mapTo(Long.class).one());
            assertThat(attempts).isEqualTo(JOBS);
        } finally {
            TestPostgres.dropDatabase(name);
        }
    }
}
