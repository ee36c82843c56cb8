package com.casarerpa.orchestrator.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.testing.ChildJvm;
import com.casarerpa.orchestrator.testing.ExactlyOnce;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.OrchestratorProcess;
import com.casarerpa.orchestrator.testing.OwnPostgresCluster;
import com.casarerpa.testkit.AutoRobot;
import com.casarerpa.testkit.RobotLog;
import com.casarerpa.testkit.RobotSetup;
import com.casarerpa.testkit.Robots;
import com.casarerpa.testkit.TestRobot;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

/**
 * The stage of the fault tests at scale: three instances on one database of an
 * {@link OwnPostgresCluster} (instance 0 in a JVM of its own, so it can be killed; 1 and 2 in the
 * test's), 1,000 simulated robots ({@link AutoRobot}s on one HTTP client, real
 * WebSockets, 2 slots, jobs of 50 to 300 ms) spread over the three, each reconnecting to the
 * others in turn when its own goes, and {@link Load}: clients that keep submitting jobs through
 * the REST API of the instances and record every answer.
 */
final class ScaleStage implements AutoCloseable {
    /** How many robots: 1,000, or CASARE_TEST_SCALE_ROBOTS (fewer, to try the tests on a machine too busy for 1,000). */
    static final int ROBOTS = Integer.parseInt(System.getenv().getOrDefault("CASARE_TEST_SCALE_ROBOTS", "1000"));
    static final int REGISTERING = 50;
    static final int HEARTBEAT_TIMEOUT_SECONDS = 15;
    /**
     * Short robot timings (heartbeat every 3 s, 15 s timeout) so faults are seen within seconds;
     * leases of 30 s, longer than any fault here, so no lease runs out behind a robot that is fine.
     */
    static final Map<String, String> SETTINGS = Map.of(
            "CASARE_ROBOTS_HEARTBEAT_INTERVAL_SECONDS", "3",
            "CASARE_ROBOTS_HEARTBEAT_TIMEOUT_SECONDS", String.valueOf(HEARTBEAT_TIMEOUT_SECONDS),
            "CASARE_QUEUE_VISIBILITY_TIMEOUT_SECONDS", "30",
            "CASARE_QUEUE_RETRY_DELAY_SECONDS", "0",
            "CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "1000000",
            "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "100000");

    final OwnPostgresCluster cluster;
    final String db;
    final ChildJvm killable;
    final List<ChannelServer> inProcess = new ArrayList<>();
    /** The ports of instances 0, 1 and 2. */
    final List<Integer> ports = new ArrayList<>();
    final Robots robots = new Robots();
    final RobotLog log = new RobotLog();
    /** The robots of {@link #startFleet}, robot {@code i} at index {@code i}. */
    private final List<AutoRobot> fleet = new ArrayList<>();

    ScaleStage(OwnPostgresCluster cluster, Path work) throws Exception {
        this.cluster = cluster;
        this.db = cluster.createDatabase();
        String url = cluster.url(db);
        // Instance 1 first: it migrates the empty database and makes the keys and the workflow.
        ChannelServer first = ChannelServer.postgresAt(Files.createDirectories(work.resolve("i1")), url, SETTINGS);
        inProcess.add(first);
        List<String> args = new ArrayList<>(List.of(Files.createDirectories(work.resolve("i0")).toString(), url));
        SETTINGS.forEach((k, v) -> args.add(k + "=" + v));
        killable = ChildJvm.start(OrchestratorProcess.class, args.toArray(String[]::new));
        inProcess.add(ChannelServer.postgresAt(Files.createDirectories(work.resolve("i2")), url, SETTINGS));
        ports.add(Integer.parseInt(killable.awaitLineStartingWith(OrchestratorProcess.PORT_LINE)));
        inProcess.forEach(s -> ports.add(s.port()));
    }

    /** The instance whose keys and workflow the test uses. */
    ChannelServer main() {
        return inProcess.getFirst();
    }

    Http http(int instance) {
        return new Http(ports.get(instance));
    }

    /** Robot {@code i}'s servers: instance {@code i % 3} first, then the others in turn. */
    List<URI> serversOf(int i) {
        return IntStream.range(0, 3).mapToObj(k -> TestRobot.uri(ports.get((i + k) % 3))).toList();
    }

    static String robotId(int i) {
        return "r-%04d".formatted(i);
    }

    /**
     * Starts the robots, at most {@value #REGISTERING} registering at a time (a thousand handshakes
     * at once on the shared 2-core machine outlast the client's 10 s connect timeout, and
     * registration storms are another test's subject), waits until every one registered, and
     * returns how long that took.
     */
    Duration startFleet() throws InterruptedException {
        long t0 = System.nanoTime();
        Semaphore registering = new Semaphore(REGISTERING);
        for (int i = 0; i < ROBOTS; i++) {
            registering.acquire();
            AutoRobot robot = robots.start(new RobotSetup(main().robotKey, serversOf(i), robotId(i), null, "scale-host", 2, null,
                    true, null, Duration.ofMillis(50), Duration.ofMillis(300)), log);
            fleet.add(robot);
            robot.ready().whenComplete((r, e) -> registering.release());
        }
        CompletableFuture.allOf(fleet.stream().map(AutoRobot::ready).toArray(CompletableFuture[]::new))
                .orTimeout(3, TimeUnit.MINUTES).join();
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    /** The robots of the fleet whose own instance is {@code instance}. */
    List<AutoRobot> robotsOf(int instance) {
        return IntStream.range(0, fleet.size()).filter(i -> i % 3 == instance).mapToObj(fleet::get).toList();
    }

    /** Whether {@code robotId} names a robot of the fleet whose own instance is {@code instance}. */
    static boolean ownedBy(String robotId, int instance) {
        return robotId.matches("r-\\d{4}") && Integer.parseInt(robotId.substring(2)) % 3 == instance;
    }

    Connection connect() throws SQLException {
        return cluster.connect(db);
    }

    /** A count (or any one number) the database answers for {@code sql}. */
    long count(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    long succeeded() {
        return count("SELECT COUNT(*) FROM jobs WHERE state = 'succeeded'");
    }

    /**
     * Waits until every job in the database succeeded, stops the robots, and checks the whole run:
     * every job the clients were told was stored (201) is in the database; every job in it (those
     * whose answer was lost with a killed instance too) succeeded exactly once by the database and
     * by the robots' own records ({@link ExactlyOnce}); no job ran on two robots at once.
     */
    void assertEveryJobRanToCompletionOnce(Load load) throws Exception {
        await("every job succeeded").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> count("SELECT COUNT(*) FROM jobs WHERE state <> 'succeeded'") == 0);
        robots.close();
        List<String> all = new ArrayList<>();
        try (Connection c = connect()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM jobs")) {
                while (rs.next()) {
                    all.add(rs.getString(1));
                }
            }
            assertThat(all).as("jobs in the database").containsAll(load.stored());
            ExactlyOnce.assertEveryJobSucceededExactlyOnce(c, all, log);
        }
        ExactlyOnce.assertNoJobRanTwiceAtOnce(log);
        System.out.printf("fault-at-scale: %d jobs stored (201), %d in the database, each succeeded once%n", load.stored().size(),
                all.size());
    }

    @Override
    public void close() throws Exception {
        robots.close();
        killable.close();
        inProcess.forEach(ChannelServer::close);
    }

    /** One answer a client got: from which instance, when it was sent, how long it took, its status (0: no answer). */
    record Answer(int instance, long sentNanos, long tookNanos, int status) {}

    /**
     * Clients that keep submitting jobs (5 retries each) to the instances in turn, as fast as they
     * are answered, until closed; every answer is recorded. An instance taken out with
     * {@link #avoid} gets no more requests.
     */
    final class Load implements AutoCloseable {
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final Set<Integer> avoided = ConcurrentHashMap.newKeySet();
        private final Set<String> stored = ConcurrentHashMap.newKeySet();
        private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();

        Load(int clients) {
            for (int c = 0; c < clients; c++) {
                int first = c;
                threads.submit(() -> {
                    for (long n = first; !stopped.get(); n++) {
                        int instance = (int) (n % 3);
                        if (!avoided.contains(instance)) {
                            submit(instance);
                        }
                    }
                });
            }
        }

        private void submit(int instance) {
            long sent = System.nanoTime();
            int status;
            try {
                Http.Response r = http(instance).post("/api/v1/jobs", "{\"workflow_id\":\"" + main().workflowId
                        + "\",\"max_retries\":5}", main().admin);
                status = r.status();
                if (status == 201) {
                    stored.add(r.json().get("id").asText());
                }
            } catch (UncheckedIOException noAnswer) {
                status = 0;
            }
            answers.add(new Answer(instance, sent, System.nanoTime() - sent, status));
        }

        void avoid(int instance) {
            avoided.add(instance);
        }

        Set<String> stored() {
            return Set.copyOf(stored);
        }

        /** The answers to requests sent between {@code fromNanos} and {@code toNanos}. */
        List<Answer> sentBetween(long fromNanos, long toNanos) {
            return answers.stream().filter(a -> a.sentNanos() >= fromNanos && a.sentNanos() < toNanos).toList();
        }

        /** How many answers of each status, and the slowest, among {@code answers}: for the test's printout. */
        String summary(List<Answer> answers) {
            Map<Integer, Integer> byStatus = new HashMap<>();
            answers.forEach(a -> byStatus.merge(a.status(), 1, Integer::sum));
            long[] took = answers.stream().mapToLong(Answer::tookNanos).sorted().toArray();
            return took.length == 0 ? "no requests" : "statuses " + byStatus + ", latency p50 " + ms(took[took.length / 2])
                    + " ms, p99 " + ms(took[(int) (took.length * 0.99)]) + " ms, max " + ms(took[took.length - 1]) + " ms";
        }

        @Override
        public void close() throws InterruptedException {
            stopped.set(true);
            threads.shutdown();
            assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).as("the clients' last submits ended").isTrue();
        }
    }

    static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
