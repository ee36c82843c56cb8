package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.ErrorSignature;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.OlderSchema;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * V23 on a database with jobs: their tags are copied into job_tags (JSON escapes undone) and
 * their failures are marked unsigned, then signed as new failures are. On PostgreSQL and H2.
 */
class JobSearchUpgradeTest {
    private static final String BEFORE_SEARCH = "21";

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dataDir;
        TestDatabase.Empty empty;
        Database db;

        @AfterEach
        void close() {
            if (db != null) {
                db.close();
            }
            if (empty != null) {
                empty.close();
            }
        }

        @Test
        void tags_are_copied_and_failures_from_before_are_signed_when_asked() {
            empty = database.empty(dataDir);
            db = Database.open(empty.url(), PoolSettings.forCommand());
            OlderSchema.migrateTo(db, BEFORE_SEARCH);
            Jdbi jdbi = Jdbi3.of(db);
            OlderSchema.workflow(jdbi, "wf_1", "Orders");
            jdbi.useHandle(h -> {
                for (String[] job : List.of(new String[] {"job_a", "[\"eu\",\"say \\\"hi\\\"\",\"back\\\\slash\",\"eu\"]", "succeeded", null},
                        new String[] {"job_b", "[]", "failed", "timeout after 30 ms"},
                        new String[] {"job_c", "[\"solo\"]", "timed_out", "ran longer than 5 s"})) {
                    h.createUpdate("INSERT INTO jobs (id, workflow_id, workflow_version, state, priority, variables, tags,"
                                    + " max_retries, attempt, run_after, source, created_by, created_at, updated_at, error_type,"
                                    + " error_message) VALUES (:id, 'wf_1', 1, :state, 10, '{}', :tags, 3, 1, CURRENT_TIMESTAMP, 'api',"
                                    + " 'test', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :type, :message)")
                            .bind("id", job[0]).bind("tags", job[1]).bind("state", job[2])
                            .bind("type", job[3] == null ? null : "NodeError").bind("message", job[3]).execute();
                }
            });
            new Migrations(db).migrate();

            List<String> tags = jdbi.withHandle(h -> h.createQuery("SELECT job_id || ' ' || tag FROM job_tags ORDER BY job_id, tag")
                    .mapTo(String.class).list());
            assertThat(tags).containsExactly("job_a back\\slash", "job_a eu", "job_a say \"hi\"", "job_c solo");
            assertThat(signatures(jdbi)).containsExactly("job_a null", "job_b ?", "job_c ?");

            assertThat(new FailureSignatures(jdbi).signUnsigned()).isEqualTo(2);
            assertThat(signatures(jdbi)).containsExactly("job_a null",
                    "job_b " + ErrorSignature.of(Optional.of("NodeError"), Optional.of("timeout after 30 ms")).id(),
                    "job_c " + ErrorSignature.of(Optional.of("NodeError"), Optional.of("ran longer than 5 s")).id());
            assertThat(new FailureSignatures(jdbi).signUnsigned()).isZero();
        }

        private List<String> signatures(Jdbi jdbi) {
            return jdbi.withHandle(h -> h.createQuery("SELECT id, error_signature FROM jobs ORDER BY id")
                    .map((rs, ctx) -> rs.getString(1) + " " + rs.getString(2)).list());
        }
    }
}
