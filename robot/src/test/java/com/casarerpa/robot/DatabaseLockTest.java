package com.casarerpa.robot;

import static com.casarerpa.robot.testing.Flows.waitSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.Outlasted;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.casarerpa.robot.testing.Fleet;
import com.casarerpa.robot.testing.Flows;
import com.casarerpa.robot.testing.LocalRobot;
import com.casarerpa.robot.testing.StatusFile;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's lock fault with the reference robot: two instances, four robots, one PostgreSQL,
 * {@code LOCK TABLE jobs} held while the robots run jobs and clients keep submitting more, until,
 * by the database's clock, every lease (20 s) has run out and nobody has been able to write for
 * longer than the heartbeat timeout (30 s, the default). The robots finish their jobs during the
 * lock and wait to report them (they drop their connections after unanswered heartbeats and
 * resume when they can); no job may run a second time. Each run appends its tag to a file in the
 * robot's own work dir, so runs are counted from the robots' records.
 *
 * <p>Tagged {@code fault}: a minute or more, so not in the default run ({@code scripts/test}
 * runs them in a second step).
 */
@Tag("fault")
class DatabaseLockTest {
    static final int HEARTBEAT_TIMEOUT_SECONDS = 30;
    static final Map<String, String> SETTINGS = Map.of(
            // Leases shorter than the lock: they too run out while nobody can renew them.
            "CASARE_QUEUE_VISIBILITY_TIMEOUT_SECONDS", "20",
            "CASARE_ROBOTS_HEARTBEAT_TIMEOUT_SECONDS", String.valueOf(HEARTBEAT_TIMEOUT_SECONDS),
            "CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "100000",
            "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "100000",
            // Small pools: the test PostgreSQL is shared. The clients below outnumber them, as
            // an installation's clients outnumber its pool when every statement waits for the lock.
            "CASARE_DATABASE_POOL_SIZE", "4",
            "CASARE_DATABASE_MAX_OVERFLOW", "4");
    static final int ROBOTS_PER_INSTANCE = 2;
    static final int CLIENTS_PER_INSTANCE = 12;
    static final int JOBS_BEFORE = 16;

    @TempDir
    Path workA;
    @TempDir
    Path workB;
    @TempDir
    Path robotsDir;

    @Test
    void a_lock_on_the_jobs_table_outlasting_leases_and_the_heartbeat_timeout_under_load_runs_every_job_of_real_robots_to_completion_once()
            throws Exception {
        String db = TestPostgres.createDatabase();
        List<LocalRobot> robots = new ArrayList<>();
        List<Path> robotDirs = new ArrayList<>();
        try (Fleet a = Fleet.on(RunningOrchestrator.postgresOn(workA, db, SETTINGS), workA);
                Fleet b = a.withInstance(RunningOrchestrator.postgresOn(workB, db, SETTINGS));
                Connection locker = TestPostgres.connect(db);
                AutoCloseable stopRobots = () -> stopAll(robots)) {
            a.deploy("Counted", Flows.chain("counted", waitSeconds(3), appendRunTag()));
            for (Fleet instance : List.of(a, b)) {
                for (int i = 0; i < ROBOTS_PER_INSTANCE; i++) {
                    Path dir = Files.createDirectory(robotsDir.resolve("robot-" + robots.size()));
                    robotDirs.add(dir);
                    robots.add(LocalRobot.start(instance.wsUrl(), a.robotKey, dir, Map.of()));
                }
            }
            Submissions jobs = new Submissions(a.admin());
            for (int i = 0; i < JOBS_BEFORE; i++) {
                assertThat(jobs.submit(i % 2 == 0 ? a : b)).as("submitted before the lock").isEqualTo(201);
            }
            await("every robot runs a job").atMost(Duration.ofSeconds(30))
                    .until(() -> robotDirs.stream().allMatch(d -> jobStates(d).contains("running")));

            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("LOCK TABLE jobs");
            }
            try (Clients load = new Clients(jobs, List.of(a, b))) {
                await("every robot finished a job it cannot report").atMost(Duration.ofSeconds(15))
                        .until(() -> robotDirs.stream().allMatch(d -> jobStates(d).contains("reporting")));
                // Asked in the locker's own transaction: it alone may read the locked table.
                await("the lock outlasts every lease and the heartbeat timeout").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> Outlasted.leasesAndHeartbeatTimeout(locker, HEARTBEAT_TIMEOUT_SECONDS));
                locker.rollback();
            }

            await("every job stored succeeded").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> jobs.stored().keySet().stream().allMatch(job -> succeededOnce(a.job(job))));
            stopAll(robots);

            Map<String, Long> completed = robotDirs.stream().flatMap(DatabaseLockTest::runTags)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(completed).as("runs completed on the robots, by job tag").allSatisfy((tag, n) -> assertThat(n)
                    .as(tag).isEqualTo(1L));
            assertThat(jobs.stored()).allSatisfy((job, tag) -> assertThat(completed).as("runs of job " + job).containsKey(tag));
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }

    /** Stops the robots (each says goodbye once its reports are acked) and forgets them. */
    private static void stopAll(List<LocalRobot> robots) throws Exception {
        for (LocalRobot r : robots) {
            r.close();
        }
        robots.clear();
    }

    /**
     * Whether the job succeeded; a job with a second attempt after one that started fails the test
     * at once: it was given to a robot again, a run its first robot had done or was doing. An
     * attempt that never started is no run: a {@code job_assign} that met a connection its robot
     * had just left (the robot registers again without the job, and its lease ends) puts the job
     * back in the queue before any robot ran it. The robots' own records ({@code runs.txt}) are
     * checked after.
     */
    private static boolean succeededOnce(JsonNode job) {
        JsonNode attempts = job.get("attempts");
        for (int i = 0; i < attempts.size() - 1; i++) {
            if (!attempts.get(i).path("started_at").isNull()) {
                throw new AssertionError("job " + job.get("id").asText() + " ran again: " + attempts);
            }
        }
        return job.get("state").asText().equals("succeeded");
    }

    /** Appends the job's {@code run} variable and a {@code ;} to {@code runs.txt} in the robot's work dir: its record of what it ran. */
    private static Flows.Node appendRunTag() {
        return new Flows.Node("WriteFileNode", "{\"file_path\":\"runs.txt\",\"content\":\"{{run}};\",\"append_mode\":true}");
    }

    /** Jobs of the test's workflow, each tagged, and the ones the server said it stored (201). */
    private static final class Submissions {
        private final Map<String, String> admin;
        private final AtomicInteger tags = new AtomicInteger();
        private final Map<String, String> stored = new ConcurrentHashMap<>();

        Submissions(Map<String, String> admin) {
            this.admin = admin;
        }

        /** Submits one job; returns the status, or 0 when the answer did not come in time (the job may be stored). */
        int submit(Fleet instance) {
            String tag = "run-" + tags.incrementAndGet();
            try {
                Http.Response r = instance.http().post("/api/v1/jobs", "{\"workflow_name\":\"Counted\",\"variables\":{\"run\":\""
                        + tag + "\"},\"max_retries\":5}", admin);
                if (r.status() == 201) {
                    stored.put(r.json().get("id").asText(), tag);
                }
                return r.status();
            } catch (UncheckedIOException timedOut) {
                return 0;
            }
        }

        /** Job id to tag. */
        Map<String, String> stored() {
            return Map.copyOf(stored);
        }
    }

    /** Clients that keep submitting to every instance until closed (then their last submits end). */
    private static final class Clients implements AutoCloseable {
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        private final AtomicBoolean stopped = new AtomicBoolean();

        Clients(Submissions jobs, List<Fleet> instances) {
            for (Fleet instance : instances) {
                for (int i = 0; i < CLIENTS_PER_INSTANCE; i++) {
                    threads.submit(() -> {
                        while (!stopped.get()) {
                            jobs.submit(instance);
                        }
                    });
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopped.set(true);
            threads.shutdown();
            assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).as("the clients' last submits ended").isTrue();
        }
    }

    private static List<String> jobStates(Path robotDir) {
        try {
            List<String> states = new ArrayList<>();
            StatusFile.read(robotDir).path("jobs").forEach(j -> states.add(j.path("state").asText()));
            return states;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Stream<String> runTags(Path robotDir) {
        Path runs = robotDir.resolve("files").resolve("runs.txt");
        try {
            return Files.exists(runs) ? Stream.of(Files.readString(runs).split(";")).filter(t -> !t.isBlank()) : Stream.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
