package com.casarerpa.orchestrator.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.testing.ChildJvm;
import com.casarerpa.orchestrator.testing.OrchestratorProcess;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.casarerpa.testkit.AutoRobot;
import com.casarerpa.testkit.RobotLog;
import com.casarerpa.testkit.RobotSetup;
import com.casarerpa.testkit.Robots;
import com.casarerpa.testkit.TestRobot;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's reconnect storm at test size, with the default configuration on both instances:
 * {@value #ROBOTS} robots of one fleet key register on instance A (a JVM of its own; on a busy
 * machine some are refused there and register on B) and each holds a job; A is killed with SIGKILL; all of them reconnect to instance B at once (backing off
 * with jitter), register with the job they hold, and B resumes every lease: no job is re-queued
 * or given to another robot. Before this issue the fleet key's request budget (burst 200, then
 * 1,000 a minute) and the pool timeouts of unbounded concurrent registrations made such a fleet
 * wait minutes; the figures at 10,000 robots are in docs/performance.md ("Reconnect storms").
 */
@Tag("ops")
class ReconnectStormTest {
    static final int ROBOTS = 100;
    private static final Duration HOLD = Duration.ofMinutes(5);

    @TempDir
    Path workA;
    @TempDir
    Path workB;

    @Test
    void the_robots_of_a_killed_instance_all_register_on_another_and_resume_their_leases() throws Exception {
        String db = TestPostgres.createDatabase();
        RobotLog log = new RobotLog();
        try (ChannelServer b = ChannelServer.postgresOn(workB, db, Map.of()); Robots robots = new Robots()) {
            try (ChildJvm a = ChildJvm.start(OrchestratorProcess.class, workA.toString(), db)) {
                int portA = Integer.parseInt(a.awaitLineStartingWith(OrchestratorProcess.PORT_LINE));
                int portB = b.port();
                List<URI> aFirst = List.of(TestRobot.uri(portA), TestRobot.uri(portB));
                for (int i = 1; i <= ROBOTS; i++) {
                    robots.start(new RobotSetup(b.robotKey, aFirst, "storm-" + i, null, "storm-host", 1, null, true, null, HOLD,
                            HOLD), log);
                }
                // Most register on A; on a busy machine some are refused there and go to B: only A's are in the storm.
                await("every robot registered").atMost(Duration.ofSeconds(180))
                        .until(() -> robots.all().stream().allMatch(r -> r.connectedPort() != 0));
                List<String> jobs = new ArrayList<>();
                for (int i = 0; i < ROBOTS; i++) {
                    jobs.add(b.submit());
                }
                await("every robot holds a job").atMost(Duration.ofSeconds(180))
                        .until(() -> robots.all().stream().allMatch(r -> r.holding() == 1));
                Map<String, Integer> attempts = jobs.stream().collect(Collectors.toMap(id -> id, id -> b.job(id).attempt()));
                long onA = robots.all().stream().filter(r -> r.connectedPort() == portA).count();
                assertThat(onA).as("robots on the instance to be killed").isGreaterThan(ROBOTS / 2);

                a.kill();
                await("every robot registered on B, with the default configuration").atMost(Duration.ofSeconds(60))
                        .until(() -> robots.all().stream().allMatch(r -> r.connectedPort() == portB));

                // A robot's first registration is its connection 1 (on A, or on B when A refused it): later ones are the storm's.
                List<RobotLog.Registration> again = log.registrations().stream().filter(r -> r.connection() > 1).toList();
                assertThat(again).as("the robots of A registered again, once each").hasSize((int) onA);
                assertThat(again).allSatisfy(r -> {
                    assertThat(r.registered().resumed()).as(r.robot() + ": its lease resumed").hasSize(1);
                    assertThat(r.registered().lost()).as(r.robot() + ": no lease lost").isNullOrEmpty();
                });
                Set<String> resumed = again.stream().map(r -> r.registered().resumed().getFirst().jobId()).collect(Collectors.toSet());
                assertThat(jobs).containsAll(resumed);
                assertThat(resumed).hasSize((int) onA);
                for (String id : jobs) {
                    Job job = b.job(id);
                    assertThat(job.state()).as(id).isIn(JobState.ASSIGNED, JobState.RUNNING);
                    assertThat(job.attempt()).as("%s: the same attempt, not run again", id).isEqualTo(attempts.get(id));
                }
                assertThat(robots.all().stream().mapToInt(AutoRobot::holding).sum()).isEqualTo(ROBOTS);
            }
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }
}
