package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.store.GroupedReports.Kind;
import com.casarerpa.orchestrator.store.GroupedReports.Report;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The statements of {@link GroupedReports}: the reports of one kind of one layer (each job at
 * most once) as one batch, each guarded by its lease and robot, the attempt row updated only
 * where the job row was. A report of a fleet key applies only while no key is bound to its robot
 * ({@link Report#fleetKey}): an index probe in the same statement, not a read of its own.
 */
final class ReportBatches {
    private ReportBatches() {}

    /** Applies the reports; true for each one whose guard matched (its lease was live and its robot's). */
    static boolean[] apply(Handle h, Dialect dialect, Kind kind, List<Report> reports) {
        return dialect == Dialect.POSTGRESQL ? postgres(h, kind, reports) : h2(h, kind, reports);
    }

    /** Where a report of a fleet key also needs its robot to have no key bound to it; false for other keys. */
    private static final String FLEET_GUARD = " AND (:fleet = FALSE OR NOT EXISTS (SELECT 1 FROM api_keys k WHERE k.robot_id = :robot))";
    private static final String STARTED_JOB = JobTransitions.start(true) + FLEET_GUARD;
    private static final String STARTED_ATTEMPT = "UPDATE job_attempts SET started_at = CURRENT_TIMESTAMP";
    private static final String COMPLETED_JOB = JobTransitions.complete(true) + FLEET_GUARD;
    private static final String COMPLETED_ATTEMPT = "UPDATE job_attempts SET ended_at = CURRENT_TIMESTAMP, outcome = 'succeeded',"
            + " error_type = NULL, error_message = NULL";

    /**
     * One statement per report, all of a kind sent as one batch: the job's guarded update in a
     * CTE, the attempt's update only when the job's took effect. The count is the attempt's (the
     * attempt row of a live lease always exists: the claim inserts it in the same transaction).
     */
    private static boolean[] postgres(Handle h, Kind kind, List<Report> reports) {
        String job = kind == Kind.STARTED ? STARTED_JOB : COMPLETED_JOB;
        String attempt = kind == Kind.STARTED ? STARTED_ATTEMPT : COMPLETED_ATTEMPT;
        PreparedBatch batch = h.prepareBatch("WITH j AS (" + job + " RETURNING id) " + attempt
                + " WHERE job_id = (SELECT id FROM j) AND lease_token = :token");
        reports.forEach(r -> bind(batch, r).add());
        return changed(batch.execute());
    }

    /** H2 has no data-changing CTE: the jobs as one batch, then the attempts of those that changed. */
    private static boolean[] h2(Handle h, Kind kind, List<Report> reports) {
        PreparedBatch jobs = h.prepareBatch(kind == Kind.STARTED ? STARTED_JOB : COMPLETED_JOB);
        reports.forEach(r -> bind(jobs, r).add());
        boolean[] applied = changed(jobs.execute());
        PreparedBatch attempts = h.prepareBatch((kind == Kind.STARTED ? STARTED_ATTEMPT : COMPLETED_ATTEMPT)
                + " WHERE job_id = :id AND lease_token = :token");
        boolean any = false;
        for (int i = 0; i < reports.size(); i++) {
            if (applied[i]) {
                attempts.bind("id", reports.get(i).jobId()).bind("token", reports.get(i).token()).add();
                any = true;
            }
        }
        if (any) {
            attempts.execute();
        }
        return applied;
    }

    private static PreparedBatch bind(PreparedBatch batch, Report r) {
        batch.bind("id", r.jobId()).bind("token", r.token()).bind("robot", r.robotId()).bind("fleet", r.fleetKey());
        if (r.kind() == Kind.COMPLETED) {
            batch.bind("result", r.resultJson());
        }
        return batch;
    }

    private static boolean[] changed(int[] counts) {
        boolean[] out = new boolean[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = counts[i] > 0;
        }
        return out;
    }
}
