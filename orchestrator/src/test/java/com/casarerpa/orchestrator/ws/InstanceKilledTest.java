package com.casarerpa.orchestrator.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.testing.ChildJvm;
import com.casarerpa.orchestrator.testing.ExactlyOnce;
import com.casarerpa.orchestrator.testing.Http;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's "two instances in one test with robots on each and one instance killed mid-run":
 * instance A runs in a JVM of its own and is killed with SIGKILL while its robots hold jobs;
 * they reconnect to instance B and resume. Every job submitted (through the REST API of both)
 * ends succeeded exactly once: none lost, none run by two robots at the same time.
 */
class InstanceKilledTest {
    static final int JOBS = 60;
    static final Map<String, String> TIMINGS = Map.of(
            "CASARE_ROBOTS_HEARTBEAT_INTERVAL_SECONDS", "1",
            "CASARE_ROBOTS_HEARTBEAT_TIMEOUT_SECONDS", "3",
            "CASARE_QUEUE_VISIBILITY_TIMEOUT_SECONDS", "10",
            "CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "100000",
            "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "10000");

    @TempDir
    Path workA;
    @TempDir
    Path workB;

    @Test
    void killing_an_instance_mid_run_loses_no_job_and_runs_none_twice_at_once() throws Exception {
        String db = TestPostgres.createDatabase();
        RobotLog log = new RobotLog();
        try (ChannelServer b = ChannelServer.postgresOn(workB, db, TIMINGS); Robots robots = new Robots()) {
            List<String> args = new ArrayList<>(List.of(workA.toString(), db));
            Map<String, String> env = new HashMap<>(TIMINGS);
            env.put("CASARE_QUEUE_RETRY_DELAY_SECONDS", "0");
            env.forEach((k, v) -> args.add(k + "=" + v));
            try (ChildJvm a = ChildJvm.start(OrchestratorProcess.class, args.toArray(String[]::new))) {
                int portA = Integer.parseInt(a.awaitLineStartingWith(OrchestratorProcess.PORT_LINE));
                int portB = b.port();
                List<URI> aFirst = List.of(TestRobot.uri(portA), TestRobot.uri(portB));
                for (String id : List.of("on-a-1", "on-a-2", "on-a-3")) {
                    robots.start(RobotSetup.resilient(b.robotKey, id, aFirst), log);
                }
                for (String id : List.of("on-b-1", "on-b-2")) {
                    robots.start(RobotSetup.resilient(b.robotKey, id, aFirst.reversed()), log);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> robots.all().stream().allMatch(r -> r.connectedPort() != 0));

                Http onA = new Http(portA);
                List<String> jobs = new ArrayList<>();
                List<AutoRobot> onInstanceA = robots.all().subList(0, 3);
                // A stream of jobs through both APIs; A is killed mid-stream, while its robots hold jobs.
                while (jobs.size() < JOBS / 4 || onInstanceA.stream().mapToInt(AutoRobot::holding).sum() < 2) {
                    assertThat(jobs).as("robots on A never held two jobs at once").hasSizeLessThan(10 * JOBS);
                    jobs.add(submit(jobs.size() % 2 == 0 ? onA : b.http, b));
                }
                a.kill();

                for (int i = 0; i < JOBS / 2; i++) {
                    jobs.add(submit(b.http, b));
                }
                await("the robots of A moved to B").atMost(Duration.ofSeconds(10))
                        .until(() -> onInstanceA.stream().allMatch(r -> r.connectedPort() == portB));
                await("every job succeeded").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> jobs.stream().allMatch(id -> b.job(id).state() == JobState.SUCCEEDED));

                assertThat(log.reclaimed(robot -> robot.startsWith("on-a-")))
                        .as("the robots of the killed instance came back holding jobs and resumed them").isNotEmpty();
                robots.close();
                ExactlyOnce.assertEveryJobSucceededExactlyOnce(db, jobs, log);
                ExactlyOnce.assertNoJobRanTwiceAtOnce(log);
            }
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }

    private static String submit(Http http, ChannelServer s) {
        Http.Response r = http.post("/api/v1/jobs", "{\"workflow_id\":\"" + s.workflowId + "\",\"max_retries\":5}", s.admin);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }
}
