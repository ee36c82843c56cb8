package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.JobFilter;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.paging.PageRequest;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.PGStatement;

/**
 * The dashboard's statements on PostgreSQL at the size the issue names (100,000 jobs over a week,
 * 1,000 robots, 20 workflows in 5 folders): every statement the overview, the workflow health,
 * the robots' held jobs and their samples run is captured as sent (with its values) and
 * explained; none may read {@code jobs} or {@code job_attempts} by a sequential scan. At this size
 * the planner takes a sequential scan of {@code jobs} whenever no index fits, so dropping an index
 * of V24 fails this test. Also times the overview (printed; asserted under a generous bound).
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OverviewPlansTest {
    private static final int JOBS = 100_000;
    private static final int ROBOTS = 1_000;
    private static final int WORKFLOWS = 20;
    private static final int FOLDERS = 5;

    private MigratedDatabase db;
    private Jdbi jdbi;
    private final List<String> sent = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    void seed() {
        db = MigratedDatabase.postgres();
        jdbi = Jdbi3.of(db.database());
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO folders (id, name, parent_id, description, created_at, created_by)"
                    + " SELECT 'fld_p' || g, 'P' || g, 'root', '', now(), 'test' FROM generate_series(0, " + (FOLDERS - 1) + ") g");
            h.execute("INSERT INTO workflows (id, name, tags, latest_version, created_at, updated_at, created_by, folder_id)"
                    + " SELECT 'wf_p' || g, 'plan-' || g, '[]', 1, now(), now(), 'test', 'fld_p' || (g % " + FOLDERS + ")"
                    + " FROM generate_series(0, " + (WORKFLOWS - 1) + ") g");
            h.execute("INSERT INTO workflow_versions (workflow_id, version, definition, checksum, size_bytes, node_count, created_at,"
                    + " created_by) SELECT id, 1, '{}', repeat('0', 64), 2, 1, now(), 'test' FROM workflows WHERE id LIKE 'wf_p%'");
            h.execute("INSERT INTO robots (id, name, capabilities, tags, max_concurrent_jobs, status, protocol, registered_at,"
                    + " last_heartbeat) SELECT 'robot-' || g, 'robot ' || g, '[]', '[]', 4,"
                    + " CASE WHEN g % 10 = 0 THEN 'offline' ELSE 'online' END, 'websocket', now(), now()"
                    + " FROM generate_series(1, " + ROBOTS + ") g");
            // A week of jobs, newest first: 2% pending, 1% running, 5% failed, 1% timed out,
            // 1% cancelled, the rest succeeded; each finished 5 s after its creation.
            h.execute("INSERT INTO jobs (id, workflow_id, workflow_version, state, priority, variables, tags, max_retries, attempt,"
                    + " run_after, robot_id, lease_token, lease_expires_at, error_type, error_message, error_signature, source,"
                    + " created_by, created_at, updated_at, started_at, finished_at, folder_id)"
                    + " SELECT 'job_' || lpad(g::text, 26, '0'), 'wf_p' || (g % " + WORKFLOWS + "), 1, s.state, 10, '{}', '[]', 0,"
                    + " CASE WHEN s.state = 'pending' THEN 0 ELSE 1 END, c.at,"
                    + " CASE WHEN s.state = 'running' THEN 'robot-' || (1 + g % " + ROBOTS + ") END,"
                    + " CASE WHEN s.state = 'running' THEN 'token' END,"
                    + " CASE WHEN s.state = 'running' THEN now() + INTERVAL '5 minutes' END,"
                    + " CASE WHEN s.state IN ('failed', 'timed_out') THEN 'NodeError' END,"
                    + " CASE WHEN s.state IN ('failed', 'timed_out') THEN 'boom' END,"
                    + " CASE WHEN s.state IN ('failed', 'timed_out') THEN 'sig' || (g % 40) END, 'api', 'test', c.at, c.at,"
                    + " CASE WHEN s.state <> 'pending' THEN c.at + INTERVAL '1 second' END,"
                    + " CASE WHEN s.state IN ('succeeded', 'failed', 'timed_out', 'cancelled') THEN c.at + INTERVAL '5 seconds' END,"
                    + " 'fld_p' || ((g % " + WORKFLOWS + ") % " + FOLDERS + ")"
                    + " FROM generate_series(1, " + JOBS + ") g,"
                    + " LATERAL (SELECT now() - g * INTERVAL '6 seconds' AS at) c,"
                    + " LATERAL (SELECT CASE WHEN g % 100 < 2 THEN 'pending' WHEN g % 100 = 2 THEN 'running'"
                    + " WHEN g % 100 < 8 THEN 'failed' WHEN g % 100 = 8 THEN 'timed_out' WHEN g % 100 = 9 THEN 'cancelled'"
                    + " ELSE 'succeeded' END AS state) s");
            h.execute("INSERT INTO job_attempts (job_id, attempt, robot_id, lease_token, assigned_at, started_at, ended_at, outcome)"
                    + " SELECT id, 1, 'robot-1', 'token', run_after + INTERVAL '50 milliseconds', started_at, finished_at, state"
                    + " FROM jobs WHERE attempt = 1");
            h.execute("INSERT INTO schedules (id, name, workflow_id, cron, timezone, enabled, job_options, misfire_policy,"
                    + " misfire_limit, overlap_policy, next_fire_at, created_at, updated_at, created_by, folder_id)"
                    + " SELECT 'sch_p' || g, 'plan-' || g, 'wf_p' || (g % " + WORKFLOWS + "), '0 * * * *', 'Europe/Berlin', TRUE, '{}',"
                    + " 'fire_once', 10, 'allow', now() + g * INTERVAL '1 minute', now(), now(), 'test',"
                    + " 'fld_p' || ((g % " + WORKFLOWS + ") % " + FOLDERS + ") FROM generate_series(1, 200) g");
            // As autovacuum leaves a table: statistics, and the visibility map that lets index-only scans skip the heap.
            h.execute("VACUUM ANALYZE");
        });
        jdbi.addCustomizer(new StatementCustomizer() {
            @Override
            public void beforeExecution(PreparedStatement statement, StatementContext ctx) throws java.sql.SQLException {
                sent.add(statement.unwrap(PGStatement.class).toString());
            }
        });
    }

    @AfterAll
    void drop() {
        if (db != null) {
            db.close();
        }
    }

    private void readEverything() {
        OverviewQueries overview = new OverviewQueries(jdbi, Dialect.POSTGRESQL);
        overview.read(Optional.empty(), Optional.empty());
        overview.read(Optional.of(Set.of("fld_p1")), Optional.of(Set.of("fld_p1")));
        overview.read(Optional.of(Set.of("fld_p1", "fld_p3")), Optional.of(Set.of("fld_p1", "fld_p3")));
        new WorkflowHealthQueries(jdbi).of(IntStream.range(0, WORKFLOWS).mapToObj(i -> "wf_p" + i).toList());
        new HeldJobs(jdbi).all();
        new HeldJobs(jdbi).of("robot-3");
        new RobotSamples(jdbi).since("robot-3", java.time.Instant.now().minus(Duration.ofHours(1)));
    }

    @Test
    void no_statement_of_the_dashboard_reads_jobs_or_attempts_by_a_sequential_scan() {
        sent.clear();
        readEverything();
        assertNoSequentialScan(15);
    }

    /**
     * The reads whose index V31 dropped or made partial (docs/performance.md, "Issue 14's cost per
     * job"): the failure groups and the listing by signature or state (jobs_finished_by_state,
     * jobs_claim, jobs_error_signature), the dispatcher's, robots' and gauges' reads of leased and
     * live jobs (jobs_claim, jobs_leases). Each still reads an index.
     */
    @Test
    void the_reads_of_the_indexes_v31_dropped_or_made_partial_still_read_an_index() {
        sent.clear();
        FailureGroupQueries failures = new FailureGroupQueries(jdbi);
        java.time.Instant now = java.time.Instant.now();
        failures.groups(JobFilter.all(), Optional.of(now.minus(Duration.ofDays(1))), Optional.of(now), 20);
        failures.groups(JobFilter.all().within(Optional.of(Set.of("fld_p1"))), Optional.of(now.minus(Duration.ofDays(7))),
                Optional.empty(), 20);
        failures.groups(JobFilter.all(), Optional.empty(), Optional.empty(), 20);
        JobListing listing = new JobListing(jdbi);
        listing.ids(JobFilter.all().withErrorSignature(Optional.of("sig7")), PageRequest.first(50));
        listing.ids(JobFilter.all().withStates(Set.of(JobState.FAILED)), PageRequest.first(50));
        listing.ids(JobFilter.all().withStates(Set.of(JobState.PENDING)), PageRequest.first(50));
        new FailureSignatures(jdbi).signUnsigned();
        List<String> robots = IntStream.rangeClosed(1, 20).mapToObj(i -> "robot-" + i).toList();
        new DispatchQueries(jdbi).loads(robots);
        new DispatchQueries(jdbi).stopping(robots);
        new DispatchQueries(jdbi).runnable(100);
        new RobotStore(jdbi, Dialect.POSTGRESQL).leasedJobs("robot-3");
        new RobotStore(jdbi, Dialect.POSTGRESQL).currentJobs("robot-3");
        new GaugeQueries(jdbi).read();
        new JobRetries(jdbi).deadLetters(Optional.empty(), Optional.empty(), 100);
        assertNoSequentialScan(14);
    }

    /** The statements sent that read jobs or job_attempts (at least {@code atLeast}): none is planned as a sequential scan of them. */
    private void assertNoSequentialScan(int atLeast) {
        List<String> selects = sent.stream().filter(q -> q.strip().toUpperCase(java.util.Locale.ROOT).startsWith("SELECT"))
                .filter(q -> q.contains(" jobs") || q.contains("job_attempts")).toList();
        assertThat(selects).as("the statements that read jobs").hasSizeGreaterThanOrEqualTo(atLeast);
        List<String> wrong = new ArrayList<>();
        jdbi.useHandle(h -> {
            for (String q : selects) {
                String plan = String.join("\n", h.createQuery("EXPLAIN " + q).mapTo(String.class).list());
                if (plan.contains("Seq Scan on jobs") || plan.contains("Seq Scan on job_attempts")) {
                    wrong.add(q + "\n" + plan);
                }
            }
        });
        assertThat(wrong).as("statements whose plan scans jobs or job_attempts whole").isEmpty();
    }

    /**
     * The overview's statements, as the database runs them (their {@code EXPLAIN ANALYZE}
     * execution times, best of three, so other work on the machine weighs less), take under
     * 50 ms together; the whole read, round trips and all, under a second. Both are printed.
     */
    @Test
    void the_overview_reads_in_well_under_50_ms_of_database_time() {
        OverviewQueries overview = new OverviewQueries(jdbi, Dialect.POSTGRESQL);
        sent.clear();
        overview.read(Optional.empty(), Optional.empty());
        new HeldJobs(jdbi).all();
        List<String> statements = List.copyOf(sent);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            double total = jdbi.withHandle(h -> statements.stream().mapToDouble(q -> executionMs(h, q)).sum());
            best = Math.min(best, total);
        }
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            long start = System.nanoTime();
            overview.read(Optional.empty(), Optional.empty());
            new HeldJobs(jdbi).all();
            micros.add((System.nanoTime() - start) / 1000);
        }
        Collections.sort(micros);
        long median = micros.get(micros.size() / 2);
        System.out.printf("overview at %,d jobs and %,d robots: %.1f ms in the database (%d statements), %.1f ms read (median)%n",
                JOBS, ROBOTS, best, statements.size(), median / 1000.0);
        assertThat(best).isLessThan(50.0);
        assertThat(Duration.ofNanos(median * 1000)).isLessThan(Duration.ofSeconds(1));
    }

    private static double executionMs(org.jdbi.v3.core.Handle h, String statement) {
        String plan = String.join("\n", h.createQuery("EXPLAIN (ANALYZE, SUMMARY) " + statement).mapTo(String.class).list());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Execution Time: ([0-9.]+) ms").matcher(plan);
        assertThat(m.find()).as(plan).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
