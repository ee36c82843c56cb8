package com.casarerpa.orchestrator.testing;

import com.casarerpa.orchestrator.store.Jdbi3;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Jobs written straight into the tables with the times a test needs (months ago, say), each with
 * what hangs off a job: one attempt (robot {@code robot-1}), {@code logs} log lines
 * ({@code line 1}, {@code line 2}, …), the tag {@code t} and the requirement {@code browser}. The
 * workflow is {@link QueueFixture}'s.
 */
public final class JobHistoryRows {
    private JobHistoryRows() {}

    /** A job in {@code state}, created at {@code created}, finished at {@code finished} (empty: not finished). */
    public static void job(Jdbi jdbi, String id, String state, Instant created, Optional<Instant> finished, int logs) {
        jdbi.useHandle(h -> {
            h.createUpdate("INSERT INTO jobs (id, workflow_id, workflow_version, state, priority, variables, tags,"
                            + " max_retries, attempt, run_after, source, created_by, created_at, updated_at, finished_at)"
                            + " VALUES (:id, 'wf_fixture', 1, :state, 10, '{\"a\": 1}', '[\"t\"]', 3, 1, :created, 'api', 'test',"
                            + " :created, :created, :finished)")
                    .bind("id", id).bind("state", state).bind("created", Jdbi3.ts(created))
                    .bind("finished", Jdbi3.ts(finished.orElse(null))).execute();
            h.createUpdate("INSERT INTO job_attempts (job_id, attempt, robot_id, lease_token, assigned_at)"
                    + " VALUES (:id, 1, 'robot-1', 'token', :created)").bind("id", id).bind("created", Jdbi3.ts(created)).execute();
            for (int seq = 1; seq <= logs; seq++) {
                h.createUpdate("INSERT INTO job_logs (job_id, attempt, logged_at, level, message, seq)"
                                + " VALUES (:id, 1, :created, 'INFO', :message, :seq)")
                        .bind("id", id).bind("created", Jdbi3.ts(created)).bind("message", "line " + seq).bind("seq", seq).execute();
            }
            h.createUpdate("INSERT INTO job_tags (job_id, tag) VALUES (:id, 't')").bind("id", id).execute();
            h.createUpdate("INSERT INTO job_requirements (job_id, capability) VALUES (:id, 'browser')").bind("id", id).execute();
        });
    }
}
