package com.casarerpa.orchestrator.testing;

import com.casarerpa.orchestrator.domain.RetryPolicy;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.JobClaims;
import com.casarerpa.orchestrator.store.JobReaping;
import com.casarerpa.orchestrator.store.JobReports;
import com.casarerpa.orchestrator.store.JobStore;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** The queue's stores on a migrated database, with a workflow to run and a builder of jobs. */
public final class QueueFixture {
    public final Jdbi jdbi;
    public final JobStore jobs;
    public final JobClaims claims;
    public final JobReports reports;
    public final JobReaping reaping;
    public final String workflowId = "wf_fixture";

    public QueueFixture(Database database, Duration retryDelay) {
        jdbi = Jdbi3.of(database);
        jobs = new JobStore(jdbi);
        claims = new JobClaims(jdbi, database.dialect());
        reports = new JobReports(jdbi, database.dialect(), new RetryPolicy(retryDelay, RetryPolicy.DEFAULT_CAP), new Random(7));
        reaping = new JobReaping(jdbi, database.dialect(), reports);
        jdbi.useHandle(h -> {
            if (h.createQuery("SELECT COUNT(*) FROM workflows WHERE id = 'wf_fixture'").mapTo(Integer.class).one() > 0) {
                return;
            }
            h.execute("INSERT INTO workflows (id, name, description, tags, latest_version, created_at, updated_at, created_by)"
                    + " VALUES ('wf_fixture', 'fixture', NULL, '[]', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'test')");
            h.execute("INSERT INTO workflow_versions (workflow_id, version, definition, checksum, size_bytes, node_count,"
                    + " created_at, created_by) VALUES ('wf_fixture', 1, '{\"nodes\":{}}', '"
                    + "0".repeat(64) + "', 12, 0, CURRENT_TIMESTAMP, 'test')");
        });
    }

    /** A job with defaults: priority 10, 3 retries, no requirements, any environment. */
    public JobStore.NewJob job() {
        return job(10, List.of());
    }

    public JobStore.NewJob job(int priority, List<String> capabilities) {
        return new JobStore.NewJob("job_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16), workflowId, 1,
                priority, "{}", capabilities, List.of(), Optional.empty(), Optional.empty(), 3, Optional.empty(), "api", "test");
    }

    public JobClaims.Claimer robot(String id, int limit) {
        return new JobClaims.Claimer(id, java.util.Set.of(), Optional.of("default"), limit, 60);
    }
}
