package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.FleetClaim;
import com.casarerpa.orchestrator.domain.JobAssignment;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.testing.QueueFixture;
import com.casarerpa.orchestrator.testing.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md §3 "no job is lost, no double completion" under contention: 8 claimers take 10,000
 * jobs from one PostgreSQL in batches and complete them; every job is claimed exactly once and
 * ends succeeded. Once with the claim of one robot (REST), once with the dispatcher's claim for a
 * fleet.
 */
@Tag("slow")
class ClaimConcurrencyTest {
    private static final int JOBS = 10_000;
    private static final int CLAIMERS = 8;

    @Test
    void eight_claimers_share_ten_thousand_jobs_with_no_duplicate_and_no_loss() throws Exception {
        String name = TestPostgres.createMigratedDatabase();
        try (Database db = Database.open(DatabaseUrl.parse(TestPostgres.url(name)),
                new PoolSettings("claim-test", 2, CLAIMERS + 2, Duration.ofSeconds(10), Duration.ofSeconds(60)))) {
            QueueFixture q = tenThousandJobs(db);

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

    /**
     * The dispatcher's claim: 8 instances each claim for a fleet of 3 robots × 2 slots in one
     * statement and complete through the grouped reports, all at once. Every job is claimed
     * once, no robot gets more jobs in a claim than it has slots listed, every job ends succeeded.
     */
    @Test
    void eight_fleet_claimers_share_ten_thousand_jobs_with_no_duplicate_no_loss_and_no_robot_over_its_slots() throws Exception {
        String name = TestPostgres.createMigratedDatabase();
        try (Database db = Database.open(DatabaseUrl.parse(TestPostgres.url(name)),
                new PoolSettings("claim-test", 2, 2 * CLAIMERS + 2, Duration.ofSeconds(10), Duration.ofSeconds(60)))) {
            QueueFixture q = tenThousandJobs(db);
            Map<String, String> claimedBy = new ConcurrentHashMap<>();
            AtomicInteger duplicates = new AtomicInteger();
            AtomicInteger overSlots = new AtomicInteger();
            AtomicInteger outOfOrder = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(CLAIMERS);
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < CLAIMERS; c++) {
                List<String> robots = List.of("robot-" + c + "a", "robot-" + c + "b", "robot-" + c + "c");
                List<String> slots = new ArrayList<>(robots);
                slots.addAll(robots);
                done.add(pool.submit(() -> {
                    int completed = 0;
                    while (true) {
                        List<JobAssignment> got = q.claims.claimForFleet(new FleetClaim(Set.of(),
                                Optional.of("default"), Optional.empty(), slots, 60));
                        if (got.isEmpty()) {
                            return completed;
                        }
                        Map<String, Long> perRobot = got.stream().collect(Collectors.groupingBy(a -> a.lease().robotId(),
                                Collectors.counting()));
                        if (!robots.containsAll(perRobot.keySet()) || perRobot.values().stream().anyMatch(n -> n > 2)) {
                            overSlots.incrementAndGet();
                        }
                        for (int i = 1; i < got.size(); i++) {
                            if (got.get(i).priority() > got.get(i - 1).priority()) {
                                outOfOrder.incrementAndGet();
                            }
                        }
                        for (JobAssignment a : got) {
                            if (claimedBy.putIfAbsent(a.lease().jobId(), a.lease().robotId()) != null) {
                                duplicates.incrementAndGet();
                            }
                            assertThat(q.reports.grouped(new GroupedReports.Report(GroupedReports.Kind.COMPLETED, a.lease().jobId(),
                                    a.lease().token(), a.lease().robotId(), "{}")).join().applied()).isTrue();
                            completed++;
                        }
                    }
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get();
            }
            pool.shutdown();

            assertThat(duplicates.get()).isZero();
            assertThat(overSlots.get()).isZero();
            assertThat(outOfOrder.get()).isZero();
            assertThat(total).isEqualTo(JOBS);
            assertThat(claimedBy).hasSize(JOBS);
            assertThat(q.jobs.countByState()).containsEntry(JobState.SUCCEEDED.wireName(), (long) JOBS).hasSize(1);
            long attempts = q.jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM job_attempts WHERE outcome = 'succeeded'"
                    + " AND attempt = 1").mapTo(Long.class).one());
            assertThat(attempts).isEqualTo(JOBS);
        } finally {
            TestPostgres.dropDatabase(name);
        }
    }

    private static QueueFixture tenThousandJobs(Database db) {
        QueueFixture q = new QueueFixture(db, Duration.ZERO);
        for (int batch = 0; batch < JOBS / 1000; batch++) {
            List<JobStore.NewJob> jobs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                jobs.add(q.job(i % 21, List.of()));
            }
            q.jobs.submitAll(jobs);
        }
        return q;
    }
}
