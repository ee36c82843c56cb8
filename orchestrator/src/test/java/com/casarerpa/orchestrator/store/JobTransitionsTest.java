package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.JobTransition;
import com.casarerpa.orchestrator.domain.RetryPolicy;
import com.casarerpa.orchestrator.events.Change;
import com.casarerpa.orchestrator.events.ChangeEvents;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.RecordedEvents;
import com.casarerpa.orchestrator.testing.QueueFixture;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * The job's transitions as code: each one the store makes is an edge of {@link JobState}'s
 * table, an edge outside it cannot be built, no store statement writes a state by hand, and a
 * walk through every store operation that moves a job only ever moves it along the table and
 * publishes exactly one change event per committed move.
 */
class JobTransitionsTest {

    @Test
    void every_transition_of_the_store_is_an_edge_of_the_table() {
        for (JobTransition t : JobTransitions.ALL) {
            for (JobState from : t.from()) {
                assertThat(from.canBecome(t.to())).as(t.name() + ": " + from + " → " + t.to()).isTrue();
            }
        }
    }

    @Test
    void an_edge_outside_the_table_cannot_be_built() {
        assertThatThrownBy(() -> JobTransition.of("skip the robot", JobState.SUCCEEDED, JobState.PENDING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pending → succeeded");
        assertThatThrownBy(() -> JobTransition.of("undo a success", JobState.PENDING, JobState.SUCCEEDED))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JobTransition("from nowhere", Set.of(), JobState.PENDING))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobTransitions.ending(JobState.PENDING)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void no_statement_outside_the_transitions_writes_a_jobs_state() throws IOException {
        Path main = Path.of("src/main/java/com/casarerpa/orchestrator");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (f.getFileName().toString().equals("JobTransitions.java")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i);
                    if (l.matches(".*(SET|,) state\\s*=\\s*[:'].*")) {
                        found.add(f + ":" + (i + 1) + ": " + l.trim());
                    }
                }
            }
        }
        assertThat(found).as("hand-written job state writes").isEmpty();
    }

    @Nested
    @BothDatabases
    class Walk {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        MigratedDatabase migrated;
        Database db;
        QueueFixture q;
        ChangeEvents bus;
        RecordedEvents recorded;
        JobClaims claims;
        JobReports reports;
        JobReaping reaping;
        JobRetries retries;
        RobotLeases leases;
        JobLogs logs;
        /** Every (from, to) the walk saw a store operation make. */
        final Set<List<JobState>> seen = new LinkedHashSet<>();
        /** Every move, in order, as the job change event it must publish. */
        final List<Change> moves = new ArrayList<>();
        int submitted;

        @BeforeEach
        void setUp() {
            migrated = database.migrated(dir);
            db = migrated.database();
            q = new QueueFixture(db, Duration.ZERO);
            bus = new ChangeEvents(() -> "i_test", Clock.systemUTC());
            recorded = new RecordedEvents(bus);
            claims = new JobClaims(q.jdbi, db.dialect(), bus);
            reports = new JobReports(q.jdbi, db.dialect(), new RetryPolicy(Duration.ZERO, RetryPolicy.DEFAULT_CAP), new Random(7), bus);
            reaping = new JobReaping(q.jdbi, db.dialect(), reports);
            retries = new JobRetries(q.jdbi, bus);
            leases = new RobotLeases(q.jdbi, db.dialect(), bus);
            logs = new JobLogs(q.jdbi, bus);
        }

        @AfterEach
        void tearDown() {
            reports.close();
            q.reports.close();
            bus.close();
            migrated.close();
        }

        JobState state(String id) {
            return q.jobs.find(id).orElseThrow().state();
        }

        Map<String, JobState> states() {
            return q.jdbi.withHandle(h -> h.createQuery("SELECT id, state FROM jobs").map((rs, ctx) -> Map.entry(rs.getString(1),
                    JobState.fromWire(rs.getString(2)).orElseThrow())).list()).stream()
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        }

        /** Runs a store operation and checks every move it made (of any job) against the table. */
        <T> T step(String jobId, Supplier<T> operation) {
            Map<String, JobState> before = states();
            T out = operation.get();
            states().forEach((id, after) -> {
                JobState was = before.get(id);
                if (was != null && was != after) {
                    assertThat(was.canBecome(after)).as(id + ": " + was + " → " + after + " is not in the table").isTrue();
                    seen.add(List.of(was, after));
                    moves.add(Change.job(id, Optional.of(was.wireName()), after.wireName()));
                }
            });
            return out;
        }

        void step(String jobId, Runnable operation) {
            step(jobId, () -> {
                operation.run();
                return null;
            });
        }

        static Map<String, List<Change>> bySubject(List<Change> changes) {
            Map<String, List<Change>> out = new java.util.TreeMap<>();
            changes.forEach(c -> out.computeIfAbsent(c.subject(), k -> new ArrayList<>()).add(c));
            return out;
        }

        JobClaims.Claim claim(String jobId) {
            List<JobClaims.Claim> claimed = step(jobId, () -> claims.claim(q.robot("r", 1)));
            assertThat(claimed).extracting(c -> c.job().id()).containsExactly(jobId);
            return claimed.getFirst();
        }

        /** A job of a higher priority than any before, so the next claim takes it whatever else is pending. */
        String submit(int maxRetries) {
            var job = q.job();
            return q.jobs.submit(new JobStore.NewJob(job.id(), job.workflowId(), job.workflowVersion(), submitted++,
                    job.variablesJson(), job.requiredCapabilities(), job.tags(), job.environment(), job.idempotency(), maxRetries,
                    job.timeoutSeconds(), job.source(), job.createdBy())).job().id();
        }

        void expire(String jobId) {
            q.jdbi.useHandle(h -> h.createUpdate("UPDATE jobs SET lease_expires_at = "
                    + db.dialect().plusSeconds("CURRENT_TIMESTAMP", "-5") + " WHERE id = :id").bind("id", jobId).execute());
        }

        @Test
        void a_new_job_is_published_once_after_its_commit_and_a_refused_insert_not_at_all() {
            JobStore store = new JobStore(q.jdbi, bus);
            JobStore.NewJob one = q.job();
            store.submit(one);
            List<JobStore.NewJob> batch = List.of(q.job(), q.job());
            store.submitAll(batch);
            assertThatThrownBy(() -> store.submit(one)).isInstanceOf(UniqueViolationException.class);

            // A new job carries the folder its insert gave it (its workflow's).
            assertThat(recorded.changes()).containsExactly(Change.job(one.id(), Optional.empty(), "pending", "root"),
                    Change.job(batch.get(0).id(), Optional.empty(), "pending", "root"),
                    Change.job(batch.get(1).id(), Optional.empty(), "pending", "root"));
        }

        @Test
        void every_store_operation_moves_a_job_only_along_the_table() throws Exception {
            // claim, start, complete (grouped)
            String a = submit(3);
            JobClaims.Claim ca = claim(a);
            step(a, () -> reports.grouped(new GroupedReports.Report(GroupedReports.Kind.STARTED, a, ca.lease().token(), "r", null)).join());
            step(a, () -> reports.grouped(new GroupedReports.Report(GroupedReports.Kind.COMPLETED, a, ca.lease().token(), "r", "{}")).join());
            assertThat(state(a)).isEqualTo(JobState.SUCCEEDED);

            // a log batch starts the job; complete directly
            String b = submit(3);
            JobClaims.Claim cb = claim(b);
            step(b, () -> logs.append(b, cb.lease().token(), List.of(new JobLogs.Entry(1, java.time.Instant.now(), "info", "hi",
                    Optional.empty(), Optional.empty()))));
            assertThat(state(b)).isEqualTo(JobState.RUNNING);
            step(b, () -> reports.progress(b, cb.lease().token(), 50));
            step(b, () -> reports.extend(b, cb.lease().token(), 120));
            step(b, () -> reports.completed(b, cb.lease().token(), "{}"));

            // failed with retries left → pending; released → pending; failed for good → failed; operator retry
            String c = submit(1);
            JobClaims.Claim c1 = claim(c);
            step(c, () -> reports.started(c, c1.lease().token()));
            assertThat(step(c, () -> reports.failed(c, c1.lease().token(), "E", "m"))).isEqualTo(JobState.PENDING);
            JobClaims.Claim c2 = claim(c);
            step(c, () -> reports.released(c, c2.lease().token()));
            JobClaims.Claim c3 = claim(c);
            assertThat(step(c, () -> reports.failed(c, c3.lease().token(), "E", "m", false))).isEqualTo(JobState.FAILED);
            assertThat(step(c, () -> retries.retryFailed(List.of(c)))).containsExactly(c);
            JobClaims.Claim c4 = claim(c);
            step(c, () -> reports.failed(c, c4.lease().token(), "E", "m", false));
            assertThat(step(c, () -> retries.retry(c)).retried()).isTrue();

            // cancel while pending; cancel while leased and the robot confirms; operator retry of a cancelled job
            String d = submit(3);
            assertThat(step(d, () -> reports.cancel(d))).isEqualTo(JobReports.CancelOutcome.CANCELLED);
            assertThat(step(d, () -> retries.retry(d)).retried()).isTrue();
            JobClaims.Claim cd = claim(d);
            assertThat(step(d, () -> reports.cancel(d))).isEqualTo(JobReports.CancelOutcome.STOPPING);
            assertThat(step(d, () -> reports.stopped(d, cd.lease().token()))).isEqualTo(JobState.CANCELLED);

            // the robot's own timeout; a stop never confirmed
            String e = submit(3);
            JobClaims.Claim ce = claim(e);
            step(e, () -> reports.started(e, ce.lease().token()));
            assertThat(step(e, () -> reports.stopped(e, ce.lease().token(), JobState.TIMED_OUT))).isEqualTo(JobState.TIMED_OUT);
            String f = submit(3);
            claim(f);
            step(f, () -> reports.cancel(f));
            step(f, () -> reaping.endUnconfirmedStops(-10, 10));
            assertThat(state(f)).isEqualTo(JobState.CANCELLED);
            assertThat(q.jobs.find(f).orElseThrow().errorType()).contains("stop_unconfirmed");

            // a lease expires (→ pending) and its robot takes it back (→ running, as it had started)
            String g = submit(3);
            JobClaims.Claim cg = claim(g);
            step(g, () -> reports.started(g, cg.lease().token()));
            expire(g);
            step(g, () -> reaping.expireLeases(10));
            assertThat(state(g)).isEqualTo(JobState.PENDING);
            step(g, () -> leases.resume("r", Map.of(g, cg.lease().token()), 60));
            assertThat(state(g)).isEqualTo(JobState.RUNNING);
            // … or, not started, back to assigned
            String k = submit(3);
            JobClaims.Claim ck = claim(k);
            expire(k);
            step(k, () -> reaping.expireLeases(10));
            step(k, () -> leases.resume("r", Map.of(k, ck.lease().token()), 60));
            assertThat(state(k)).isEqualTo(JobState.ASSIGNED);
            // a lease that expires under a stop asked for ends as asked (timed out)
            String t = submit(3);
            JobClaims.Claim ct = claim(t);
            step(t, () -> reports.started(t, ct.lease().token()));
            q.jdbi.useHandle(h -> h.execute("UPDATE jobs SET cancel_reason = 'timed_out' WHERE id = ?", t));
            expire(t);
            step(t, () -> reaping.expireLeases(10));
            assertThat(state(t)).isEqualTo(JobState.TIMED_OUT);
            // the lease of a job that fails for good by expiry
            String x = submit(0);
            claim(x);
            expire(x);
            step(x, () -> reaping.expireLeases(10));
            assertThat(state(x)).isEqualTo(JobState.FAILED);

            Set<List<JobState>> declared = new LinkedHashSet<>();
            for (JobTransition tr : JobTransitions.ALL) {
                tr.from().forEach(from -> declared.add(List.of(from, tr.to())));
            }
            assertThat(declared).as("every move the walk saw is a transition of JobTransitions").containsAll(seen);
            Set<JobState> reached = EnumSet.noneOf(JobState.class);
            seen.forEach(s -> reached.add(s.get(1)));
            assertThat(reached).as("the walk reaches every state").containsAll(EnumSet.allOf(JobState.class));
            // Log batches are published as changes of their own kind (the live feed's "log"), not moves.
            List<Change> published = recorded.changes().stream().filter(m -> m.kind() == Change.Kind.JOB).toList();
            assertThat(published).as("a move that carries its job's folder carries the right one")
                    .allMatch(m -> m.folder().isEmpty() || m.folder().get().equals("root"));
            assertThat(published).as("the moves whose statement read the folder anyway carry it").anyMatch(m -> m.folder().isPresent());
            assertThat(bySubject(published.stream().map(m -> new Change(m.kind(), m.subject(), m.from(), m.to(), m.job())).toList()))
                    .as("one event per committed move, each job's in order").isEqualTo(bySubject(moves));
        }
    }
}
