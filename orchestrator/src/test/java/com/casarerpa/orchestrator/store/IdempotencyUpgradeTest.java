package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.Submitted;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.OlderSchema;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.casarerpa.orchestrator.testing.TestPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * Jobs stored with idempotency keys before keys were scoped to their caller keep them, under the
 * caller that stored them: a webhook's delivery sent again after the upgrade still finds its
 * job, and another caller's same key is its own. On PostgreSQL and H2.
 */
class IdempotencyUpgradeTest {
    private static final String BEFORE_SCOPES = "11";

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dataDir;
        TestDatabase.Empty empty;
        Database db;
        Jdbi jdbi;

        DatabaseUrl emptyDatabase() {
            empty = database.empty(dataDir);
            return empty.url();
        }

        @BeforeEach
        void upgradeADatabaseWithKeyedJobs() {
            db = Database.open(emptyDatabase(), PoolSettings.forCommand());
            OlderSchema.migrateTo(db, BEFORE_SCOPES);
            jdbi = Jdbi3.of(db);
            OlderSchema.workflow(jdbi, "wf_1", "Orders");
            jdbi.useHandle(h -> {
                for (String[] job : List.of(new String[] {"job_hook", "webhook:wh_1:d-1", "webhook:wh_1", "webhook"},
                        new String[] {"job_api", "nightly", "api_key:key_a", "api"})) {
                    h.createUpdate("INSERT INTO jobs (id, workflow_id, workflow_version, state, priority, variables, tags,"
                                    + " idempotency_key, max_retries, attempt, run_after, source, created_by, created_at, updated_at)"
                                    + " VALUES (:id, 'wf_1', 1, 'pending', 10, '{}', '[]', :key, 3, 0, CURRENT_TIMESTAMP, :source,"
                                    + " :by, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
                            .bind("id", job[0]).bind("key", job[1]).bind("by", job[2]).bind("source", job[3]).execute();
                }
            });
            new Migrations(db).migrate();
        }

        @AfterEach
        void close() {
            db.close();
            empty.close();
        }

        @Test
        void keys_stored_before_the_upgrade_stay_with_the_caller_that_stored_them() {
            JobStore jobs = new JobStore(jdbi);
            Submitted redelivered = jobs.submit(keyed("job_hook2", "webhook:wh_1", "webhook:wh_1:d-1"));
            assertThat(redelivered.created()).isFalse();
            assertThat(redelivered.sameRequest()).as("a job stored without a fingerprint counts as the same request").isTrue();
            assertThat(redelivered.job().id()).isEqualTo("job_hook");

            assertThat(jobs.submit(keyed("job_api2", "api_key:key_a", "nightly")).job().id()).isEqualTo("job_api");
            Submitted others = jobs.submit(keyed("job_other", "api_key:key_b", "nightly"));
            assertThat(others.created()).as("another caller's same key is its own").isTrue();
        }

        private static JobStore.NewJob keyed(String id, String scope, String key) {
            return new JobStore.NewJob(id, "wf_1", 1, 10, "{}", List.of(), List.of(), Optional.empty(),
                    Optional.of(new JobStore.Idempotency(scope, key, "f".repeat(64))), 3, Optional.empty(), "api", scope);
        }
    }
}
