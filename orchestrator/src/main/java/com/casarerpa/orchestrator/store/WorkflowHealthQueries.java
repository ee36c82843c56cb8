package com.casarerpa.orchestrator.store;

import static com.casarerpa.orchestrator.store.Jdbi3.instant;
import static com.casarerpa.orchestrator.store.Jdbi3.ts;

import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.WorkflowHealth;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@link WorkflowHealth} of a page of workflows, in one statement, read from the jobs
 * themselves rather than from counters kept on completion: the completing transactions (grouped
 * reports, thousands a second) write nothing more, and retries and purges can never leave the
 * figures wrong. Each figure is a probe of the {@code jobs_workflow_finished} index (V24:
 * workflow, state, finished time): the latest finish per state is the end of a range, the streak
 * counts the failures after the last success, the day's counts the last 24 hours (by the database clock) of the range.
 * So a page costs about a dozen index probes per workflow, plus entries proportional to its
 * current streak and its jobs of the day.
 */
public final class WorkflowHealthQueries {
    private static final Instant EPOCH = Instant.EPOCH;
    private static final String FAILURES = "('failed', 'timed_out')";

    private final Jdbi jdbi;

    public WorkflowHealthQueries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The latest finish of the workflow's jobs in {@code state} ({@code w.id} the workflow). */
    private static String latest(String state, String alias) {
        return "(SELECT MAX(j.finished_at) FROM jobs j WHERE j.workflow_id = w.id AND j.state = '" + state + "'"
                + " AND j.finished_at IS NOT NULL) AS " + alias;
    }

    /** How many of the workflow's jobs in {@code states} finished after {@code after} (SQL). */
    private static String count(String states, String after) {
        return "(SELECT COUNT(*) FROM jobs j WHERE j.workflow_id = w.id AND j.state IN " + states + " AND j.finished_at > " + after + ")";
    }

    private static String later(String a, String b) {
        return "CASE WHEN " + a + " IS NULL THEN " + b + " WHEN " + b + " IS NULL OR " + a + " > " + b + " THEN " + a + " ELSE " + b + " END";
    }

    /** The health of each of these workflows (those with no finished job: {@link WorkflowHealth#NONE}). */
    public Map<String, WorkflowHealth> of(Collection<String> workflowIds) {
        if (workflowIds.isEmpty()) {
            return Map.of();
        }
        String day = ":day";
        // Level 1: the latest finish per state; level 2: the failure before the last success, the
        // streak and the day's counts; level 3: the success that followed that failure.
        String latest = "SELECT w.id, " + latest("succeeded", "ok") + ", " + latest("failed", "failed") + ", "
                + latest("timed_out", "timed_out") + ", " + latest("cancelled", "cancelled")
                + " FROM workflows w WHERE w.id IN (<ids>)";
        String failedBefore = "(SELECT MAX(j.finished_at) FROM jobs j WHERE j.workflow_id = w.id AND j.state = '%s'"
                + " AND j.finished_at < w.ok)";
        String around = "SELECT w.*, " + failedBefore.formatted("failed") + " AS failed_before, "
                + failedBefore.formatted("timed_out") + " AS timed_out_before, "
                + count("('failed')", "COALESCE(w.ok, :epoch)") + " + " + count("('timed_out')", "COALESCE(w.ok, :epoch)") + " AS streak, "
                + count("('succeeded')", day) + " AS ok_day, "
                + count("('failed')", day) + " + " + count("('timed_out')", day) + " AS failed_day"
                + " FROM (" + latest + ") w";
        String sql = "SELECT w.*, (SELECT MIN(j.finished_at) FROM jobs j WHERE j.workflow_id = w.id AND j.state = 'succeeded'"
                + " AND j.finished_at > " + later("w.failed_before", "w.timed_out_before") + ") AS recovered FROM (" + around + ") w";
        return Jdbi3.call("workflow health", () -> jdbi.withHandle(h -> {
            Instant now = h.createQuery("SELECT CURRENT_TIMESTAMP").map((rs, ctx) -> instant(rs.getObject(1)).orElseThrow()).one();
            Map<String, WorkflowHealth> out = new HashMap<>();
            h.createQuery(sql).bindList("ids", List.copyOf(workflowIds)).bind("epoch", ts(EPOCH))
                    .bind("day", ts(now.minus(java.time.Duration.ofDays(1))))
                    .map((rs, ctx) -> {
                        Map<JobState, Instant> last = new HashMap<>();
                        instant(rs.getObject("ok")).ifPresent(t -> last.put(JobState.SUCCEEDED, t));
                        instant(rs.getObject("failed")).ifPresent(t -> last.put(JobState.FAILED, t));
                        instant(rs.getObject("timed_out")).ifPresent(t -> last.put(JobState.TIMED_OUT, t));
                        instant(rs.getObject("cancelled")).ifPresent(t -> last.put(JobState.CANCELLED, t));
                        Optional<Map.Entry<JobState, Instant>> newest = last.entrySet().stream().max(Map.Entry.comparingByValue());
                        return Map.entry(rs.getString("id"), new WorkflowHealth(newest.map(Map.Entry::getKey),
                                newest.map(Map.Entry::getValue), rs.getLong("streak"), instant(rs.getObject("ok")),
                                instant(rs.getObject("recovered")), rs.getLong("ok_day"), rs.getLong("failed_day")));
                    })
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            workflowIds.forEach(id -> out.putIfAbsent(id, WorkflowHealth.NONE));
            return out;
        }));
    }
}
